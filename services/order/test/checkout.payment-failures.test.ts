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
  // A short payment timeout: a hung charge must give up well inside the 3 s deadline.
  h = await startOrderHarness({ PAYMENT_DEADLINE_SECONDS: '3', PAYMENT_TIMEOUT_MS: '300' });
});
afterEach(() => {
  h.payment.mode = 'normal';
});
afterAll(() => h.stop());

const orderStatus = async (token: string, id: string) =>
  (await call<{ status: string; cancelReason?: string }>(h, 'GET', `/api/orders/${id}`, { token })).body;

describe('checkout when the payment outcome is unknown', () => {
  it('payment down: answers 202 PAYMENT_PENDING, then completes to PAID by itself once payment returns', async () => {
    const product = h.product.addProduct(700, 4);
    const { token } = h.token();
    h.payment.mode = 'down';
    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PAYMENT_PENDING');
    expect(product).toMatchObject({ stock: 3, reserved: 1 });

    h.payment.mode = 'normal';
    await eventually(async () => (await orderStatus(token, res.body.id)).status === 'PAID');
    await eventually(async () => product.sold === 1);
    expect(h.payment.payments.get(res.body.id)?.status).toBe('CAPTURED');
  });

  it('payment hangs past the timeout: 202, and the retry with the same key completes it', async () => {
    const product = h.product.addProduct(700, 4);
    const { token } = h.token();
    h.payment.mode = 'hang';
    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    expect(res.status).toBe(202);
    h.payment.mode = 'normal';
    await eventually(async () => (await orderStatus(token, res.body.id)).status === 'PAID');
  });

  it('captured but the answer was lost: 202, then PAID with exactly one capture', async () => {
    const product = h.product.addProduct(700, 4);
    const { token } = h.token();
    h.payment.mode = 'capture-then-drop';
    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    expect(res.status).toBe(202);
    h.payment.mode = 'normal';
    await eventually(async () => (await orderStatus(token, res.body.id)).status === 'PAID');
    // The stub keeps one payment per order; the retry found the capture instead of making another.
    expect([...h.payment.payments.keys()].filter((id) => id === res.body.id)).toHaveLength(1);
    expect(h.payment.payments.get(res.body.id)?.status).toBe('CAPTURED');
  });

  it('payment never returns before the deadline: CANCELLED, stock released, and the payment service told never to charge', async () => {
    const product = h.product.addProduct(700, 4);
    const { token } = h.token();
    h.payment.mode = 'down';
    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 2 }]));
    expect(res.status).toBe(202);
    // Payment stays down until the order is cancelled: had it come back at a fixed time, a
    // charge decided just before the deadline but served late could still capture.
    const final = await eventually(async () => {
      const order = await orderStatus(token, res.body.id);
      return order.status === 'CANCELLED' && order;
    });
    h.payment.mode = 'normal';
    expect(final.cancelReason).toBe('PAYMENT_TIMEOUT');
    await eventually(async () => product.stock === 4 && product.reserved === 0);
    await eventually(async () => h.payment.payments.get(res.body.id)?.status === 'CANCELLED');
  });

  it('a capture that slipped through before the deadline cancel is refunded', async () => {
    const product = h.product.addProduct(700, 4);
    const { token } = h.token();
    h.payment.mode = 'capture-then-drop';
    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    expect(res.status).toBe(202);
    // Payment stays unreachable until the deadline; the capture exists at the payment service.
    h.payment.mode = 'down';
    await eventually(async () => (await orderStatus(token, res.body.id)).status === 'CANCELLED');
    h.payment.mode = 'normal';
    await eventually(async () => h.payment.payments.get(res.body.id)?.status === 'REFUNDED');
    await eventually(async () => product.stock === 4);
  });
});
