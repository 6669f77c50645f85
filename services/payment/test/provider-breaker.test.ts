import { createScratchDatabase, eventually, eventuallyPasses, type ScratchDatabase } from '@surge/testing';
import { outboxEvents, paymentRows, providerChargeCalls, providerCharges } from './assertions';
import {
  charge,
  clearFaults,
  newChargeRequest,
  setFaults,
  startPaymentTestEnv,
  type PaymentTestEnv,
} from './support';

let env: PaymentTestEnv;
let db: ScratchDatabase;
beforeAll(async () => {
  // The reconciler runs here, so the payments database is this file's alone: in the
  // shared one it also looked up the PENDING payments other files leave behind, and those
  // lookups' successes changed the breaker's arithmetic (one lost capture out of two
  // calls opened it, and the second charge never reached the provider).
  db = await createScratchDatabase('surge_payment_breaker');
  // A breaker that opens after two failed calls, and a reconciler that leaves attempts
  // alone for a while. Both times are far longer than any step of the test on a busy
  // machine: with a one-second reset, the breaker went half-open and a reconciler lookup
  // closed it before the test read "open" (state 0, not 2). Every later effect is waited
  // for, never timed. The provider's own timeout is long too: the lost answers must come
  // back as dropped connections (503), and a busy machine took the suite's 500 ms for a
  // first capture (504).
  env = await startPaymentTestEnv({
    DATABASE_URL: db.url,
    PAYMENT_PROVIDER_TIMEOUT_MS: '10000',
    UPSTREAM_BREAKER_MIN_CALLS: '2',
    UPSTREAM_BREAKER_RESET_MS: '5000',
    RECONCILER: 'true',
    RECONCILE_INTERVAL_MS: '200',
    RECONCILE_MIN_AGE_MS: '5000',
  });
});
afterAll(async () => {
  await clearFaults(env);
  await env.stop();
  await db.drop();
});

const statusOf = async (orderId: string) => (await paymentRows(env, orderId))[0]?.status;
const metric = async (name: string, labels: string[]) => {
  const text = await fetch(`${env.adminUrl}/metrics`).then((res) => res.text());
  const line = text
    .split('\n')
    .find((entry) => entry.startsWith(`${name}{`) && labels.every((l) => entry.includes(l)));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('the payment-provider breaker', () => {
  it('once open, a charge is refused without reaching the provider and stays PENDING; the reconciler and a retry finish every payment', async () => {
    // Two captures whose answers are lost: the provider holds them, we do not know it.
    await setFaults(env, { dropAfterCapture: true });
    const lostA = newChargeRequest();
    const lostB = newChargeRequest();
    expect((await charge(env, lostA)).status).toBe(503);
    expect((await charge(env, lostB)).status).toBe(503);
    await clearFaults(env);
    expect(await metric('circuit_breaker_state', ['upstream="payment-provider"'])).toBe(2);

    const callsBefore = await providerChargeCalls(env);
    const refused = newChargeRequest();
    const res = await charge(env, refused);

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', orderId: refused.orderId });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await providerChargeCalls(env)).toBe(callsBefore);
    expect(await statusOf(refused.orderId)).toBe('PENDING');
    expect(await outboxEvents(env, refused.orderId)).toEqual([]);
    expect(
      await metric('upstream_requests_total', ['upstream="payment-provider"', 'outcome="circuit_open"']),
    ).toBeGreaterThanOrEqual(1);

    // After the reset time the reconciler's lookup is the trial call: the breaker closes
    // and the lost captures are recorded, each with its event, exactly once.
    for (const lost of [lostA, lostB]) {
      await eventually(async () => (await statusOf(lost.orderId)) === 'CAPTURED', {
        timeoutMs: 60_000,
        what: `the lost capture of ${lost.orderId} to be recorded`,
      });
      expect(await providerCharges(env, lost.orderId)).toHaveLength(1);
      expect((await outboxEvents(env, lost.orderId)).map((event) => event.event_type)).toEqual([
        'payment.captured',
      ]);
    }
    await eventuallyPasses(async () =>
      expect(await metric('circuit_breaker_state', ['upstream="payment-provider"'])).toBe(0),
    );

    // The refused charge never reached the provider, so only the caller's retry (same
    // key) can complete it, and it does, once.
    const retry = await charge(env, refused);
    expect(retry.status).toBe(201);
    expect(await providerCharges(env, refused.orderId)).toHaveLength(1);
  }, 150_000);
});
