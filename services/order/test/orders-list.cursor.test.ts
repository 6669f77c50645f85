import { tamperedCursors } from '@surge/testing';
import {
  call,
  checkoutBody,
  placeOrder,
  startOrderHarness,
  type OrderHarness,
} from './support/order-service';

let h: OrderHarness;
let token: string;
let issued: string;
beforeAll(async () => {
  h = await startOrderHarness();
  token = h.token().token;
  const product = h.product.addProduct(100, 10);
  for (let i = 0; i < 2; i += 1)
    await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
  const page = await call<{ nextCursor: string }>(h, 'GET', '/api/orders?limit=1', { token });
  issued = page.body.nextCursor;
});
afterAll(() => h.stop());

describe('GET /api/orders with a cursor this API did not hand out', () => {
  it('follows the cursor it handed out', async () => {
    const next = await call<{ items: unknown[] }>(h, 'GET', `/api/orders?limit=1&cursor=${issued}`, {
      token,
    });
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(1);
  });

  it.each(tamperedCursors('placeholder', 'orders'))('answers 400 naming the cursor: %s', async (label) => {
    // Built here: `issued` exists only once beforeAll ran.
    const cursor = new Map(tamperedCursors(issued, 'orders')).get(label)!;
    const res = await call<{ code: string; errors: Array<{ path: string }> }>(
      h,
      'GET',
      `/api/orders?cursor=${encodeURIComponent(cursor)}`,
      { token },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((problem) => problem.path)).toContain('cursor');
  });
});

describe('GET /api/orders with a query parameter it does not take', () => {
  it('answers 400, instead of ignoring it', async () => {
    const res = await call<{ code: string }>(h, 'GET', '/api/orders?limit=1&x=false', { token });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /api/orders pages through orders created within one millisecond', () => {
  it('skips and repeats none, although the database keeps microseconds and a cursor milliseconds', async () => {
    const buyer = h.token();
    const product = h.product.addProduct(100, 10);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const placed = await placeOrder(h, buyer.token, checkoutBody([{ productId: product.id, quantity: 1 }]));
      ids.push(placed.body.id);
    }
    // Three orders within the same millisecond, as a busy instance writes them.
    const instants = [
      '2024-01-01T00:00:00.123456Z',
      '2024-01-01T00:00:00.123400Z',
      '2024-01-01T00:00:00.123300Z',
    ];
    for (const [i, id] of ids.entries())
      await h.query('UPDATE orders SET created_at = $2 WHERE id = $1', [id, instants[i]]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } =
        await call(h, 'GET', `/api/orders?limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
          token: buyer.token,
        });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((order) => order.id));
      cursor = page.body.nextCursor;
    } while (cursor && seen.length < 10);

    expect(seen).toEqual(ids);
  });
});
