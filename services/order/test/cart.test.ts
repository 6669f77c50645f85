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

type Cart = {
  items: Array<{ productId: string; quantity: number; priceCents: number; currency: string }>;
  totalCents: number | null;
  currency: string | null;
};

describe('the cart', () => {
  it('adds, changes and removes lines with current prices and a total', async () => {
    const a = h.product.addProduct(250, 10);
    const b = h.product.addProduct(1000, 10);
    const { token } = h.token();
    await call(h, 'PUT', `/api/cart/items/${a.id}`, { token, body: { quantity: 2 } });
    const cart = await call<Cart>(h, 'PUT', `/api/cart/items/${b.id}`, { token, body: { quantity: 1 } });
    expect(cart.body.totalCents).toBe(1500);
    expect(cart.body.items).toEqual(
      expect.arrayContaining([
        { productId: a.id, quantity: 2, priceCents: 250, currency: 'USD' },
        { productId: b.id, quantity: 1, priceCents: 1000, currency: 'USD' },
      ]),
    );
    const changed = await call<Cart>(h, 'PUT', `/api/cart/items/${a.id}`, { token, body: { quantity: 4 } });
    expect(changed.body.totalCents).toBe(2000);
    const removed = await call<Cart>(h, 'DELETE', `/api/cart/items/${b.id}`, { token });
    expect(removed.body).toEqual({
      items: [{ productId: a.id, quantity: 4, priceCents: 250, currency: 'USD' }],
      totalCents: 1000,
      currency: 'USD',
    });
    expect((await call(h, 'DELETE', '/api/cart', { token })).status).toBe(204);
    expect((await call<Cart>(h, 'GET', '/api/cart', { token })).body).toEqual({
      items: [],
      totalCents: 0,
      currency: 'USD',
    });
  });

  it('answers 404 for an unknown product and 400 for a bad quantity or id', async () => {
    const { token } = h.token();
    expect(
      (
        await call(h, 'PUT', '/api/cart/items/00000000-0000-4000-8000-000000000000', {
          token,
          body: { quantity: 1 },
        })
      ).status,
    ).toBe(404);
    const product = h.product.addProduct(100, 1);
    expect(
      (await call(h, 'PUT', `/api/cart/items/${product.id}`, { token, body: { quantity: 0 } })).status,
    ).toBe(400);
    expect(
      (await call(h, 'PUT', `/api/cart/items/${product.id}`, { token, body: { quantity: 'two' } })).status,
    ).toBe(400);
    expect(
      (await call(h, 'PUT', '/api/cart/items/not-a-uuid', { token, body: { quantity: 1 } })).status,
    ).toBe(400);
  });

  it('is private: each user sees only their own cart', async () => {
    const product = h.product.addProduct(100, 5);
    const alice = h.token();
    await call(h, 'PUT', `/api/cart/items/${product.id}`, { token: alice.token, body: { quantity: 1 } });
    expect((await call<Cart>(h, 'GET', '/api/cart', { token: h.token().token })).body.items).toEqual([]);
  });

  it('is ordered when POST /api/orders has no items, and emptied on success', async () => {
    const product = h.product.addProduct(300, 5);
    const { token } = h.token();
    await call(h, 'PUT', `/api/cart/items/${product.id}`, { token, body: { quantity: 3 } });
    const order = await placeOrder(h, token, checkoutBody(undefined));
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ totalCents: 900, items: [{ productId: product.id, quantity: 3 }] });
    expect((await call<Cart>(h, 'GET', '/api/cart', { token })).body.items).toEqual([]);
  });

  it('is kept when the checkout fails', async () => {
    const product = h.product.addProduct(300, 1);
    const { token } = h.token();
    await call(h, 'PUT', `/api/cart/items/${product.id}`, { token, body: { quantity: 2 } });
    const order = await placeOrder(h, token, checkoutBody(undefined));
    expect(order.status).toBe(409);
    expect((await call<Cart>(h, 'GET', '/api/cart', { token })).body.items).toHaveLength(1);
  });
});
