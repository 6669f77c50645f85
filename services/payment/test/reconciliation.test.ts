import { createScratchDatabase, type ScratchDatabase, eventually } from '@surge/testing';
import { outboxEvents, paymentRows, providerCharges } from './assertions';
import {
  cancel,
  charge,
  clearFaults,
  newChargeRequest,
  setFaults,
  LATENCY_BEYOND_TIMEOUT_MS,
  SHORT_PROVIDER_TIMEOUT,
  startPaymentTestEnv,
  type PaymentTestEnv,
} from './support';

let env: PaymentTestEnv;
let db: ScratchDatabase;
beforeAll(async () => {
  // The reconciler works on every unsettled payment of its database and leads through an
  // advisory lock there: a database of this file's own keeps it off the payments other
  // files leave behind, and another file's reconciler off these.
  db = await createScratchDatabase('surge_payment_reconcile');
  env = await startPaymentTestEnv({
    DATABASE_URL: db.url,
    ...SHORT_PROVIDER_TIMEOUT,
    RECONCILER: 'true',
    RECONCILE_INTERVAL_MS: '200',
    // Older than any charge call of these tests takes, so that a payment is still PENDING
    // when a test looks right after its call, as provider-breaker.test.ts does.
    RECONCILE_MIN_AGE_MS: '5000',
  });
});
afterEach(() => clearFaults(env));
afterAll(async () => {
  await env.stop();
  await db.drop();
});

const statusOf = async (orderId: string) => (await paymentRows(env, orderId))[0]?.status;

describe('the reconciler', () => {
  it('records a capture whose answer was lost, with its event, although nobody retries', async () => {
    await setFaults(env, { dropAfterCapture: true });
    const request = newChargeRequest();
    expect((await charge(env, request)).status).toBe(503);
    expect(await statusOf(request.orderId)).toBe('PENDING');

    await eventually(async () => ((await statusOf(request.orderId)) === 'CAPTURED' ? true : undefined));
    const [provider] = await providerCharges(env, request.orderId);
    expect(await paymentRows(env, request.orderId)).toEqual([
      expect.objectContaining({ provider_charge_id: provider?.id, version: 1 }),
    ]);
    expect((await outboxEvents(env, request.orderId)).map((event) => event.event_type)).toEqual([
      'payment.captured',
    ]);
  });

  it('refunds a capture that landed after the order was cancelled', async () => {
    // The provider takes 6 s; the payment service gives up after 2.5 s and the order is
    // cancelled while the provider is still working: the cancel finds nothing to refund.
    await setFaults(env, { latencyMs: LATENCY_BEYOND_TIMEOUT_MS });
    const request = newChargeRequest();
    expect((await charge(env, request)).status).toBe(504);
    await clearFaults(env); // the slow request keeps its latency; the cancel's lookup does not
    const cancelled = await cancel(env, request.orderId);
    expect(cancelled.body).toEqual({ orderId: request.orderId, status: 'CANCELLED' });

    // Then the capture lands; the reconciler finds it and gives the money back.
    await eventually(async () => ((await statusOf(request.orderId)) === 'REFUNDED' ? true : undefined));
    expect(await providerCharges(env, request.orderId)).toEqual([
      { id: expect.any(String), outcome: 'captured', refund_id: expect.any(String) },
    ]);
    expect((await outboxEvents(env, request.orderId)).map((event) => event.event_type)).toEqual([
      'payment.captured',
      'payment.refunded',
    ]);
  });

  it('asks about an attempt the provider never received, and leaves it PENDING', async () => {
    await setFaults(env, { errorRate: 1 });
    const request = newChargeRequest();
    expect((await charge(env, request)).status).toBe(503);
    await clearFaults(env);

    const checked = await eventually(async () => {
      const { rows } = await env.db.query('SELECT status, checked_at FROM payments WHERE order_id = $1', [
        request.orderId,
      ]);
      return rows[0]?.checked_at ? rows[0] : undefined;
    });
    expect(checked.status).toBe('PENDING');
    expect(await outboxEvents(env, request.orderId)).toEqual([]);
  });
});
