import { randomUUID } from 'node:crypto';

type Json = Record<string, unknown>;

async function call<T = Json>(
  gateway: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${gateway}${path}`, {
    method,
    headers: {
      ...opts.headers,
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

function expectStatus(res: { status: number; body: unknown }, status: number, what: string): void {
  if (res.status !== status)
    throw new Error(`${what} answered ${res.status}, not ${status}: ${JSON.stringify(res.body)}`);
}

async function login(gateway: string, email: string, password: string): Promise<string> {
  const res = await call<{ accessToken: string }>(gateway, 'POST', '/api/auth/login', {
    body: { email, password },
  });
  expectStatus(res, 200, `logging in as ${email}`);
  return res.body.accessToken;
}

export interface PlacedCheckout {
  orderId: string;
  email: string;
  /** Milliseconds from the order request to the receipt notification being listed. */
  notifiedAfterMs: number;
}

/**
 * What a customer does, through the gateway only: the development admin stocks a product,
 * a new customer signs up, puts two in the cart, checks out from the cart (201 PAID), and
 * waits until the receipt (order.paid, through Kafka) is among their notifications.
 */
export async function placeCheckout(gateway: string): Promise<PlacedCheckout> {
  const run = randomUUID().slice(0, 8);
  const admin = await login(
    gateway,
    process.env['ADMIN_EMAIL'] ?? 'admin@surge.local',
    process.env['ADMIN_PASSWORD'] ?? 'surge-admin-dev',
  );
  const product = await call<{ id: string }>(gateway, 'POST', '/api/products', {
    token: admin,
    body: {
      sku: `TRACE-${run}`,
      name: 'Trace Lamp',
      description: 'A lamp for the checkout trace picture',
      category: 'lighting',
      priceCents: 2500,
      stock: 10,
    },
  });
  expectStatus(product, 201, 'creating a product');

  const email = `trace-${run}@example.test`;
  const password = 'a long enough password';
  expectStatus(
    await call(gateway, 'POST', '/api/auth/register', { body: { email, password, name: 'Ada Trace' } }),
    201,
    'signing up',
  );
  const token = await login(gateway, email, password);
  expectStatus(
    await call(gateway, 'PUT', `/api/cart/items/${product.body.id}`, { token, body: { quantity: 2 } }),
    200,
    'adding to the cart',
  );
  const ordered = Date.now();
  const order = await call<{ id: string; status: string }>(gateway, 'POST', '/api/orders', {
    token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      shippingAddress: {
        name: 'Ada Trace',
        line1: '1 Span Street',
        city: 'Tracy',
        postalCode: '95304',
        country: 'US',
      },
      payment: { token: 'tok_visa' },
    },
  });
  expectStatus(order, 201, 'checking out');

  const deadline = Date.now() + 30_000;
  for (;;) {
    const listed = await call<{ items: Array<{ type: string }> }>(gateway, 'GET', '/api/notifications', {
      token,
    });
    if (listed.status === 200 && listed.body.items.some((item) => item.type.includes('order.paid')))
      return { orderId: order.body.id, email, notifiedAfterMs: Date.now() - ordered };
    if (Date.now() > deadline)
      throw new Error(`order ${order.body.id} is PAID but no receipt notification arrived within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
