import { randomUUID } from 'node:crypto';

/**
 * What the fuzz customer owns before schemathesis starts: two orders (and so a second page
 * of `GET /api/orders` at `limit=1`) and, once the notification service has sent them, more
 * than one notification. The hooks (fuzz-tests/hooks.py) give every schema-valid `cursor`
 * the `nextCursor` of a real first page; with a single page there is no cursor to give, and
 * the list's cursor would go untested until the stateful phase made orders of its own.
 */
export interface SeededLists {
  orders: number;
  notifications: number;
}

interface Page {
  items: Array<Record<string, unknown>>;
  nextCursor: string | null;
}

async function call<T>(
  url: string,
  token: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A product the customer can order one of: in stock, with a price. */
async function orderableProduct(gateway: string, token: string): Promise<string> {
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await call<Page>(`${gateway}/api/products?limit=100${query}`, token);
    if (res.status !== 200) throw new Error(`listing products for the fuzz orders answered ${res.status}`);
    const found = res.body.items.find(
      (item) => typeof item.stock === 'number' && item.stock >= 10 && Number(item.priceCents) > 0,
    );
    if (found) return String(found.id);
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  throw new Error('no product in stock to place the fuzz orders with');
}

async function count(gateway: string, token: string, list: 'orders' | 'notifications'): Promise<number> {
  const res = await call<Page>(`${gateway}/api/${list}?limit=2`, token);
  return res.status === 200 ? res.body.items.length : 0;
}

/**
 * Places two orders as the fuzz customer and waits (at most `waitMs`) for two notifications.
 * Notifications come by Kafka, so a slow notification service leaves that list at one page:
 * the hooks then send its first page instead, and the run goes on.
 */
export async function seedLists(gateway: string, token: string, waitMs = 30_000): Promise<SeededLists> {
  const productId = await orderableProduct(gateway, token);
  for (let n = 0; n < 2; n++) {
    const key = `fuzz-seed-${randomUUID()}`;
    // The same key again after a 503/504 or a 409 in progress (a busy machine): one order.
    let res: { status: number } = { status: 0 };
    for (
      let attempt = 0;
      attempt < 5 && (attempt === 0 || res.status >= 500 || res.status === 409);
      attempt++
    ) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
      res = await call(`${gateway}/api/orders`, token, {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body: {
          items: [{ productId, quantity: 1 }],
          shippingAddress: {
            name: 'Fuzz',
            line1: '1 Main St',
            city: 'Springfield',
            postalCode: '12345',
            country: 'US',
          },
          payment: { token: 'tok_visa' },
        },
      });
    }
    if (res.status >= 300) throw new Error(`placing a fuzz order answered ${res.status}`);
  }
  const deadline = Date.now() + waitMs;
  let notifications = await count(gateway, token, 'notifications');
  while (notifications < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    notifications = await count(gateway, token, 'notifications');
  }
  return { orders: await count(gateway, token, 'orders'), notifications };
}
