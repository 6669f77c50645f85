import { randomUUID } from 'node:crypto';
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

const put = (token: string, productId: string, quantity = 1) =>
  call<Cart & { code?: string; currencies?: Record<string, string> }>(
    h,
    'PUT',
    `/api/cart/items/${productId}`,
    {
      token,
      body: { quantity },
    },
  );

describe('a cart holds one currency', () => {
  it('prices a cart in yen in yen: amounts are minor units, and JPY has none below the yen', async () => {
    const tea = h.product.addProduct(1500, 10, 'JPY');
    const { token } = h.token();
    const cart = await put(token, tea.id, 2);
    expect(cart.status).toBe(200);
    expect(cart.body).toEqual({
      items: [{ productId: tea.id, quantity: 2, priceCents: 1500, currency: 'JPY' }],
      totalCents: 3000,
      currency: 'JPY',
    });
  });

  it('when a product in another currency is added to a non-empty cart, answers 409 CURRENCY_MISMATCH and keeps the cart', async () => {
    const usd = h.product.addProduct(1000, 10);
    const jpy = h.product.addProduct(1500, 10, 'JPY');
    const { token } = h.token();
    await put(token, usd.id);

    const refused = await put(token, jpy.id);

    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'CURRENCY_MISMATCH', currencies: { [usd.id]: 'USD' } });
    const cart = await call<Cart>(h, 'GET', '/api/cart', { token });
    expect(cart.body).toMatchObject({ totalCents: 1000, currency: 'USD' });
    expect(cart.body.items.map((line) => line.productId)).toEqual([usd.id]);
  });

  it('takes a product in another currency once the cart is empty again', async () => {
    const usd = h.product.addProduct(1000, 10);
    const jpy = h.product.addProduct(1500, 10, 'JPY');
    const { token } = h.token();
    await put(token, usd.id);
    await call(h, 'DELETE', `/api/cart/items/${usd.id}`, { token });
    expect((await put(token, jpy.id)).status).toBe(200);
  });

  it('when a product changed currency after it was put in the cart, shows no total and checkout answers 409, nothing reserved or charged', async () => {
    const stays = h.product.addProduct(1000, 10);
    const moves = h.product.addProduct(2000, 10);
    const { token } = h.token();
    await put(token, stays.id);
    await put(token, moves.id);
    moves.currency = 'JPY';

    const cart = await call<Cart>(h, 'GET', '/api/cart', { token });
    expect(cart.body.totalCents).toBeNull();
    expect(cart.body.currency).toBeNull();
    expect(cart.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ productId: stays.id, currency: 'USD' }),
        expect.objectContaining({ productId: moves.id, currency: 'JPY' }),
      ]),
    );

    const key = randomUUID();
    const charges = h.payment.chargeCalls.length;
    const checkout = await placeOrder(h, token, checkoutBody(undefined), key);
    expect(checkout.status).toBe(409);
    expect(checkout.body).toMatchObject({
      code: 'CURRENCY_MISMATCH',
      currencies: { [stays.id]: 'USD', [moves.id]: 'JPY' },
    });
    expect([stays, moves].map((product) => product.reserved + product.sold)).toEqual([0, 0]);
    expect(h.payment.chargeCalls.length).toBe(charges);
    const orders = await call<{ items: unknown[] }>(h, 'GET', '/api/orders', { token });
    expect(orders.body.items).toEqual([]);
    // The cart is left as it was, for the customer to fix.
    expect((await call<Cart>(h, 'GET', '/api/cart', { token })).body.items).toHaveLength(2);
    // A replay with the same key answers the same 409.
    const again = await placeOrder(h, token, checkoutBody(undefined), key);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CURRENCY_MISMATCH');
  });
});

describe('an order holds one currency', () => {
  it('when the lines are priced in two currencies, answers 409 CURRENCY_MISMATCH: no order, nothing reserved, nothing charged', async () => {
    const usd = h.product.addProduct(1000, 10);
    const jpy = h.product.addProduct(1500, 10, 'JPY');
    const { token } = h.token();
    const charges = h.payment.chargeCalls.length;

    const res = await placeOrder(
      h,
      token,
      checkoutBody([
        { productId: jpy.id, quantity: 1 },
        { productId: usd.id, quantity: 1 },
      ]),
    );

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'CURRENCY_MISMATCH',
      currencies: { [usd.id]: 'USD', [jpy.id]: 'JPY' },
    });
    expect([usd, jpy].map((product) => product.stock)).toEqual([10, 10]);
    expect(h.payment.chargeCalls.length).toBe(charges);
    expect((await call<{ items: unknown[] }>(h, 'GET', '/api/orders', { token })).body.items).toEqual([]);
  });

  it('orders in yen at the yen total: totalCents counts yen', async () => {
    const jpy = h.product.addProduct(1500, 10, 'JPY');
    const { token } = h.token();
    const res = await placeOrder(h, token, checkoutBody([{ productId: jpy.id, quantity: 3 }]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ totalCents: 4500, currency: 'JPY' });
    expect(h.payment.payments.get(res.body.id)?.amountCents).toBe(4500);
  });
});
