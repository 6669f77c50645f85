import { eventually } from '@surge/testing';
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
afterEach(() => {
  h.payment.mode = 'normal';
});
afterAll(() => h.stop());

describe('POST /api/orders/:id/cancel', () => {
  it('refunds a PAID order and returns its stock', async () => {
    const product = h.product.addProduct(900, 3);
    const { token } = h.token();
    const order = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 2 }]));
    const res = await call(h, 'POST', `/api/orders/${order.body.id}/cancel`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'CUSTOMER_CANCELLED' });
    expect(h.payment.payments.get(order.body.id)?.status).toBe('REFUNDED');
    expect(product).toMatchObject({ stock: 3, sold: 0, reserved: 0 });
    const events = await h.query<{ event_type: string }>(
      'SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY seq',
      [order.body.id],
    );
    expect(events.map((event) => event.event_type)).toEqual([
      'order.created',
      'order.paid',
      'order.cancelled',
    ]);
  });

  it('cancels a PAYMENT_PENDING order so that it is never charged, and releases its stock', async () => {
    const product = h.product.addProduct(900, 3);
    const { token } = h.token();
    h.payment.mode = 'down';
    const order = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    expect(order.status).toBe(202);
    // Payment comes back only once the order is cancelled: were it back before, the
    // recovery worker could charge the order first on a slow machine (its lease is short
    // in tests), and the cancel would then refund instead.
    const res = await call(h, 'POST', `/api/orders/${order.body.id}/cancel`, { token });
    expect(res.body.status).toBe('CANCELLED');
    h.payment.mode = 'normal';
    await eventually(async () => h.payment.payments.get(order.body.id)?.status === 'CANCELLED');
    await eventually(async () => product.stock === 3);
    // The worker does not charge it afterwards.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.payment.payments.get(order.body.id)?.status).toBe('CANCELLED');
  });

  it('is idempotent: cancelling twice answers the cancelled order', async () => {
    const product = h.product.addProduct(900, 3);
    const { token } = h.token();
    const order = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    await call(h, 'POST', `/api/orders/${order.body.id}/cancel`, { token });
    const again = await call(h, 'POST', `/api/orders/${order.body.id}/cancel`, { token });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('CANCELLED');
    expect(product.stock).toBe(3);
  });

  it("answers 404 for another user's order, and lets an admin cancel it", async () => {
    const product = h.product.addProduct(900, 3);
    const { token } = h.token();
    const order = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    const stranger = await call(h, 'POST', `/api/orders/${order.body.id}/cancel`, { token: h.token().token });
    expect(stranger.status).toBe(404);
    const admin = await call(h, 'POST', `/api/orders/${order.body.id}/cancel`, {
      token: h.token({ role: 'admin' }).token,
    });
    expect(admin.body.status).toBe('CANCELLED');
  });

  it('keeps the refund and the stock return pending while payment is down, and finishes them later', async () => {
    const product = h.product.addProduct(900, 3);
    const { token } = h.token();
    const order = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    h.payment.mode = 'down';
    const res = await call(h, 'POST', `/api/orders/${order.body.id}/cancel`, { token });
    expect(res.body.status).toBe('CANCELLED');
    // Money first: stock is not returned while the capture still stands.
    expect(product.sold).toBe(1);
    h.payment.mode = 'normal';
    await eventually(async () => h.payment.payments.get(order.body.id)?.status === 'REFUNDED');
    await eventually(async () => product.stock === 3 && product.sold === 0);
  });
});
