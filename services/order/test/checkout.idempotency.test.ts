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

describe('Idempotency-Key on POST /api/orders', () => {
  it('when the key is replayed with the same body, returns the first answer: same status, same order', async () => {
    const product = h.product.addProduct(1000, 5);
    const { token } = h.token();
    const key = randomUUID();
    const body = checkoutBody([{ productId: product.id, quantity: 1 }]);
    const first = await placeOrder(h, token, body, key);
    const again = await placeOrder(h, token, body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(h.payment.chargeCalls.filter((id) => id === first.body.id)).toHaveLength(1);
    expect(product.sold).toBe(1);
  });

  it('replays a 402 as a 402 with the same order id', async () => {
    const product = h.product.addProduct(1000, 5);
    const { token } = h.token();
    const key = randomUUID();
    const body = checkoutBody([{ productId: product.id, quantity: 1 }], 'tok_decline');
    const first = await placeOrder(h, token, body, key);
    const again = await placeOrder(h, token, body, key);
    expect([first.status, again.status]).toEqual([402, 402]);
    expect(again.body.orderId).toBe(first.body.orderId);
  });

  it('when the key is reused with a different body, answers 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const product = h.product.addProduct(1000, 5);
    const { token } = h.token();
    const key = randomUUID();
    await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]), key);
    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 2 }]), key);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys per user: the same key from another user is another order', async () => {
    const product = h.product.addProduct(1000, 5);
    const key = randomUUID();
    const body = checkoutBody([{ productId: product.id, quantity: 1 }]);
    const a = await placeOrder(h, h.token().token, body, key);
    const b = await placeOrder(h, h.token().token, body, key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('when one key is submitted concurrently, there is one order and one capture', async () => {
    const product = h.product.addProduct(1000, 50);
    const { token } = h.token();
    const key = randomUUID();
    const body = checkoutBody([{ productId: product.id, quantity: 1 }]);
    const answers = await Promise.all(Array.from({ length: 8 }, () => placeOrder(h, token, body, key)));
    const statuses = answers.map((answer) => answer.status);
    // Each answer is the first one (201) or "still in progress" (409), never a second order.
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(statuses).toContain(201);
    const orderIds = new Set(
      answers.filter((answer) => answer.status === 201).map((answer) => answer.body.id),
    );
    expect(orderIds.size).toBe(1);
    const orders = await call<{ items: unknown[] }>(h, 'GET', '/api/orders', { token });
    expect(orders.body.items).toHaveLength(1);
    expect(product.sold).toBe(1);
    const conflicts = answers.filter((answer) => answer.status === 409);
    for (const conflict of conflicts) {
      expect(conflict.body.code).toBe('REQUEST_IN_PROGRESS');
      // A client learns when to come back, as for every other retriable answer.
      expect(Number(conflict.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('Idempotency-Key on a checkout from the cart (no items in the body)', () => {
  async function fillCart(token: string, productId: string, quantity = 1) {
    const put = await call(h, 'PUT', `/api/cart/items/${productId}`, { token, body: { quantity } });
    expect(put.status).toBe(200);
  }

  it('when the checkout is replayed after the cart was emptied, returns the first answer: same status, same order', async () => {
    const product = h.product.addProduct(1000, 5);
    const { token } = h.token();
    await fillCart(token, product.id);
    const key = randomUUID();
    const first = await placeOrder(h, token, checkoutBody(undefined), key);
    expect(first.status).toBe(201);
    expect((await call<{ items: unknown[] }>(h, 'GET', '/api/cart', { token })).body.items).toEqual([]);

    const again = await placeOrder(h, token, checkoutBody(undefined), key);

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(h.payment.chargeCalls.filter((id) => id === first.body.id)).toHaveLength(1);
    expect(product.sold).toBe(1);
  });

  it('when the checkout is replayed after the cart was refilled, returns the first answer and orders nothing more', async () => {
    const first = h.product.addProduct(1000, 5);
    const later = h.product.addProduct(700, 5);
    const { token } = h.token();
    await fillCart(token, first.id);
    const key = randomUUID();
    const answer = await placeOrder(h, token, checkoutBody(undefined), key);
    await fillCart(token, later.id, 2);

    const again = await placeOrder(h, token, checkoutBody(undefined), key);

    expect(again.status).toBe(answer.status);
    expect(again.body.id).toBe(answer.body.id);
    expect(later.reserved + later.sold).toBe(0);
    // The refilled cart is the customer's next purchase: the replay leaves it alone.
    const cart = await call<{ items: Array<{ productId: string }> }>(h, 'GET', '/api/cart', { token });
    expect(cart.body.items.map((line) => line.productId)).toEqual([later.id]);
    const orders = await call<{ items: unknown[] }>(h, 'GET', '/api/orders', { token });
    expect(orders.body.items).toHaveLength(1);
  });

  it('replays a declined checkout from the cart as the same 402, even once the cart is refilled', async () => {
    const product = h.product.addProduct(1000, 5);
    const { token } = h.token();
    await fillCart(token, product.id);
    const key = randomUUID();
    const first = await placeOrder(h, token, checkoutBody(undefined, 'tok_decline'), key);
    await fillCart(token, product.id, 3);
    const again = await placeOrder(h, token, checkoutBody(undefined, 'tok_decline'), key);
    expect([first.status, again.status]).toEqual([402, 402]);
    expect(again.body.orderId).toBe(first.body.orderId);
  });

  it('when the key is reused with another body after the cart was emptied, answers 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const product = h.product.addProduct(1000, 5);
    const { token } = h.token();
    await fillCart(token, product.id);
    const key = randomUUID();
    expect((await placeOrder(h, token, checkoutBody(undefined), key)).status).toBe(201);
    const reused = await placeOrder(h, token, checkoutBody(undefined, 'tok_decline'), key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('when the cart is empty and the key is new, answers 409 and keeps the key free for a later checkout', async () => {
    const product = h.product.addProduct(1000, 5);
    const { token } = h.token();
    const key = randomUUID();
    const empty = await placeOrder(h, token, checkoutBody(undefined), key);
    expect(empty.status).toBe(409);
    await fillCart(token, product.id);
    const placed = await placeOrder(h, token, checkoutBody(undefined), key);
    expect(placed.status).toBe(201);
  });
});
