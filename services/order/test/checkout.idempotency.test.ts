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
    for (const conflict of conflicts) expect(conflict.body.code).toBe('REQUEST_IN_PROGRESS');
  });
});
