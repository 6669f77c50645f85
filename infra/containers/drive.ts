/**
 * Drives a running Surge (compose or Kubernetes) from outside, through its gateway only,
 * as any HTTP client would; the container checks call it.
 *
 *   tsx infra/containers/drive.ts journey <gateway url> <mailpit url>
 *     sign up, log in, browse the catalog, fill a cart, check out: the order must be PAID
 *     with one CAPTURED payment, and the receipt email must reach Mailpit.
 *   tsx infra/containers/drive.ts reads <gateway url> <stop file> [concurrency]
 *     catalog reads in a loop until <stop file> exists; exits 1 if any read failed
 *     (network error or a status other than 200).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

type Json = Record<string, unknown>;

const say = (line: string): void => {
  process.stdout.write(`[drive] ${line}\n`);
};

async function call<T = Json>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    signal: AbortSignal.timeout(15_000),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: res.status, body: body as T };
}

/**
 * A call a careful client repeats on a transient answer (502, 503, 504 or no answer):
 * safe for reads, for setting a cart line, and for a checkout, whose idempotency key
 * makes the repeat return the first attempt's order, and for a log-in (scrypt: the real
 * run on 2 cores at load 40 got a 504 for one). A cold service on a busy machine can miss
 * the gateway's per-call deadline once; what matters is that the repeat lands.
 */
async function callRetrying<T = Json>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  for (let attempt = 1; ; attempt += 1) {
    const res = await call<T>(base, method, path, options).catch((err: unknown) => ({
      status: 0,
      body: (err instanceof Error ? err.message : String(err)) as T,
    }));
    if (![0, 502, 503, 504].includes(res.status) || attempt === 5) return res;
    say(
      `${method} ${path}: ${res.status || 'no answer'} (transient), repeating (attempt ${attempt + 1} of 5)`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000 * attempt));
  }
}

function expectStatus(what: string, res: { status: number; body: unknown }, status: number): void {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  say(`${what}: ${status}`);
}

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function journey(gateway: string, mailpit: string): Promise<void> {
  const email = `compose-check-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'a long enough password';
  // Repeated on a transient answer too (right after a rollout the gateway may not see the
  // user service yet: a 503 in the first Kubernetes run); should a lost answer hide a
  // first attempt that succeeded, the repeat answers 409 for the taken address.
  const signUp = await callRetrying(gateway, 'POST', '/api/auth/register', {
    body: { email, password, name: 'Checker' },
  });
  expectStatus('sign-up', signUp.status === 409 ? { ...signUp, status: 201 } : signUp, 201);
  const login = await callRetrying<{ accessToken: string }>(gateway, 'POST', '/api/auth/login', {
    body: { email, password },
  });
  expectStatus('log-in', login, 200);
  const token = login.body.accessToken;

  // The storefront behind the gateway: the catalog page, as a browser asks for it.
  await eventually(
    'the storefront catalog page through the gateway',
    async () => {
      const res = await fetch(`${gateway}/`, { headers: { accept: 'text/html' } });
      const html = await res.text();
      return res.status === 200 && html.includes('<html') ? true : undefined;
    },
    60_000,
  );
  say('storefront: the catalog page answers 200 through the gateway');

  const catalog = await callRetrying<{ items: Array<{ id: string; stock: number; priceCents: number }> }>(
    gateway,
    'GET',
    '/api/products?limit=20',
  );
  expectStatus('catalog', catalog, 200);
  const product = catalog.body.items.find((item) => item.stock > 0);
  if (!product) throw new Error('catalog: no product in stock (is the development catalog seeded?)');

  expectStatus(
    'cart',
    await callRetrying(gateway, 'PUT', `/api/cart/items/${product.id}`, { token, body: { quantity: 1 } }),
    200,
  );
  const order = await callRetrying<{ id: string; status: string; totalCents: number }>(
    gateway,
    'POST',
    '/api/orders',
    {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        shippingAddress: {
          name: 'Grace Hopper',
          line1: '1 Compiler Way',
          city: 'Arlington',
          postalCode: '22201',
          country: 'US',
        },
        payment: { token: 'tok_visa' },
      },
    },
  );
  expectStatus('checkout', order, 201);
  if (order.body.status !== 'PAID') throw new Error(`checkout: order is ${order.body.status}, expected PAID`);
  say(`order ${order.body.id} PAID (${order.body.totalCents} cents)`);

  const payments = await callRetrying<{ items: Array<{ status: string; amountCents: number }> }>(
    gateway,
    'GET',
    `/api/payments?orderId=${order.body.id}`,
    { token },
  );
  expectStatus('payments', payments, 200);
  if (payments.body.items.length !== 1 || payments.body.items[0]?.status !== 'CAPTURED')
    throw new Error(`payments: expected one CAPTURED payment, got ${JSON.stringify(payments.body)}`);
  say('one payment, CAPTURED');

  const subject = `Your Surge receipt for order ${order.body.id.slice(0, 8)}`;
  const query = encodeURIComponent(`to:"${email}"`);
  await eventually(
    `the receipt email to ${email} in Mailpit`,
    async () => {
      const res = await fetch(`${mailpit}/api/v1/search?query=${query}&limit=50`);
      const found = ((await res.json()) as { messages: Array<{ Subject: string }> }).messages;
      return found.some((message) => message.Subject === subject) ? true : undefined;
    },
    120_000,
  );
  say(`receipt email in Mailpit: "${subject}"`);
}

async function reads(gateway: string, stopFile: string, concurrency: number): Promise<void> {
  const catalog = await callRetrying<{ items: Array<{ id: string }> }>(
    gateway,
    'GET',
    '/api/products?limit=20',
  );
  expectStatus('catalog', catalog, 200);
  const ids = catalog.body.items.map((item) => item.id);
  let ok = 0;
  let failed = 0;
  // The first failures, for the report; only counted after that, so a dead gateway cannot
  // grow this without bound.
  const failures: string[] = [];
  // Reads stop at the stop file, or by themselves after READS_MAX_SECONDS (a check that
  // died before writing the stop file must not leave them running).
  const deadline = Date.now() + Number(process.env.READS_MAX_SECONDS ?? 180) * 1000;
  const fail = (message: string) => {
    failed += 1;
    if (failures.length < 10) failures.push(message);
  };
  const worker = async (n: number): Promise<void> => {
    for (let i = n; !fs.existsSync(stopFile) && Date.now() < deadline; i += concurrency) {
      const path = i % 2 === 0 ? '/api/products?limit=5' : `/api/products/${ids[i % ids.length]}`;
      try {
        const res = await call(gateway, 'GET', path);
        if (res.status === 200) ok += 1;
        else fail(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      } catch (err) {
        fail(`${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, n) => worker(n)));
  say(`reads: ${ok} ok, ${failed} failed`);
  for (const failure of failures) say(`  failed: ${failure}`);
  if (!fs.existsSync(stopFile)) say('reads: stopped by READS_MAX_SECONDS, not by the check');
  if (failed > 0 || ok === 0 || !fs.existsSync(stopFile)) process.exitCode = 1;
}

async function main(): Promise<void> {
  const [command, gateway, arg, extra] = process.argv.slice(2);
  if (command === 'journey' && gateway && arg) return journey(gateway, arg);
  if (command === 'reads' && gateway && arg) return reads(gateway, arg, Number(extra ?? 4));
  throw new Error('usage: drive.ts journey <gateway> <mailpit> | reads <gateway> <stop file> [concurrency]');
}

main().catch((err: unknown) => {
  say(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
