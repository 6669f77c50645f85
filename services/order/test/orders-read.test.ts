import {
  call,
  checkoutBody,
  placeOrder,
  startOrderHarness,
  type OrderHarness,
} from './support/order-service';

let h: OrderHarness;
beforeAll(async () => {
  h = await startOrderHarness();
});
afterAll(() => h.stop());

type Page = { items: Array<{ id: string }>; nextCursor: string | null };

describe('reading orders', () => {
  it('lists own orders newest first, page by page without gaps or repeats', async () => {
    const product = h.product.addProduct(100, 100);
    const { token } = h.token();
    const placed: string[] = [];
    for (let i = 0; i < 5; i += 1)
      placed.push(
        (await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]))).body.id,
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await call<Page>(
        h,
        'GET',
        `/api/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      seen.push(...page.body.items.map((order) => order.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...placed].reverse());
  });

  it('rejects a garbage cursor and an out-of-range limit with 400', async () => {
    const { token } = h.token();
    expect((await call(h, 'GET', '/api/orders?cursor=garbage', { token })).status).toBe(400);
    expect((await call(h, 'GET', '/api/orders?limit=0', { token })).status).toBe(400);
    expect((await call(h, 'GET', '/api/orders?limit=101', { token })).status).toBe(400);
  });

  it("answers 404 for another user's order, and shows it to an admin", async () => {
    const product = h.product.addProduct(100, 5);
    const { token } = h.token();
    const order = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    expect((await call(h, 'GET', `/api/orders/${order.body.id}`, { token: h.token().token })).status).toBe(
      404,
    );
    expect(
      (await call(h, 'GET', `/api/orders/${order.body.id}`, { token: h.token({ role: 'admin' }).token }))
        .status,
    ).toBe(200);
    expect((await call(h, 'GET', `/api/orders/${order.body.id}`)).status).toBe(401);
  });
});
