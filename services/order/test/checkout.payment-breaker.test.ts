import { eventually } from '@surge/testing';
import { startCountingProxy, type CountingProxy } from './support/counting-proxy';
import {
  call,
  checkoutBody,
  placeOrder,
  startOrderHarness,
  type OrderHarness,
} from './support/order-service';

/**
 * The payment client's circuit breaker in the checkout saga: an open breaker is an
 * unknown payment outcome (202, the worker finishes later), answered without calling
 * the payment service at all.
 */
// Long enough that the checkouts below (a few database round trips each, on a loaded machine)
// finish while the breaker is still open.
const RESET_MS = 8_000;
let h: OrderHarness;
let proxy: CountingProxy;

beforeAll(async () => {
  proxy = await startCountingProxy();
  h = await startOrderHarness({
    PAYMENT_SERVICE_URL: proxy.url,
    // A call that reached a hanging payment service would take a whole second.
    PAYMENT_TIMEOUT_MS: '1000',
    UPSTREAM_BREAKER_MIN_CALLS: '4',
    UPSTREAM_BREAKER_RESET_MS: String(RESET_MS),
  });
  proxy.target = h.payment.url;
});
afterAll(async () => {
  await h.stop();
  await proxy.close();
});

async function metric(pattern: RegExp): Promise<number | undefined> {
  const text = await (await fetch(`${h.adminUrl}/metrics`)).text();
  const match = pattern.exec(text);
  return match ? Number(match[1]) : undefined;
}
const paymentBreakerState = () => metric(/^circuit_breaker_state\{[^}]*upstream="payment"[^}]*\} (\d+)$/m);
const transitionsTo = (to: string) =>
  metric(
    new RegExp(
      `^circuit_breaker_transitions_total\\{[^}]*upstream="payment",to="${to}"[^}]*\\} (\\d+)$`,
      'm',
    ),
  );
const orderStatus = async (token: string, id: string) =>
  (await call<{ status: string }>(h, 'GET', `/api/orders/${id}`, { token })).body.status;

describe('checkout while the payment breaker is open', () => {
  it('answers 202 at once without calling payment, then the worker completes the orders once payment is back', async () => {
    const product = h.product.addProduct(500, 20);
    const { token } = h.token();
    const checkout = () => placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
    const orderIds: string[] = [];

    // Payment fails every call: enough failures in the window open the breaker.
    h.payment.mode = 'down';
    await eventually(async () => {
      const res = await checkout();
      expect(res.status).toBe(202);
      orderIds.push(res.body.id);
      return (await paymentBreakerState()) === 2;
    });

    // Open: a call reaching payment now would hang for its full second. None does.
    h.payment.mode = 'hang';
    const hitsWhenOpened = proxy.hits;
    // (proxy.hits, below, is the proof: a call let through would be counted there.)
    for (let i = 0; i < 3; i += 1) {
      const res = await checkout();
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('PAYMENT_PENDING');
      orderIds.push(res.body.id);
    }
    expect(proxy.hits).toBe(hitsWhenOpened);
    expect(await paymentBreakerState()).toBe(2);

    // Payment recovers; after the reset timeout one trial call goes through and closes it.
    h.payment.mode = 'normal';
    await eventually(async () => (await paymentBreakerState()) === 0, { timeoutMs: RESET_MS + 10_000 });
    for (const id of orderIds) await eventually(async () => (await orderStatus(token, id)) === 'PAID');
    await eventually(async () => product.sold === orderIds.length);
    expect(product).toMatchObject({ stock: 20 - orderIds.length, reserved: 0 });
    for (const id of orderIds) expect(h.payment.payments.get(id)?.status).toBe('CAPTURED');
    expect(await transitionsTo('open')).toBeGreaterThanOrEqual(1);
    expect(await transitionsTo('half-open')).toBeGreaterThanOrEqual(1);
    expect(await transitionsTo('closed')).toBeGreaterThanOrEqual(1);
  });
});
