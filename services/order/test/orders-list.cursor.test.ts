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
