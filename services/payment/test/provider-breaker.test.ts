import { eventually, outboxEvents, paymentRows, providerChargeCalls, providerCharges } from './assertions';
import {
  charge,
  clearFaults,
  newChargeRequest,
  setFaults,
  startPaymentTestEnv,
  type PaymentTestEnv,
} from './support';

let env: PaymentTestEnv;
beforeAll(async () => {
  // A breaker that opens after two failed calls and tries again after a second, and a
  // reconciler that leaves attempts alone for that second, so the opening is not raced.
  env = await startPaymentTestEnv({
    UPSTREAM_BREAKER_MIN_CALLS: '2',
    UPSTREAM_BREAKER_RESET_MS: '1000',
    RECONCILER: 'true',
    RECONCILE_INTERVAL_MS: '200',
    RECONCILE_MIN_AGE_MS: '1000',
  });
});
afterAll(async () => {
  await clearFaults(env);
  await env.stop();
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
      await eventually(async () => ((await statusOf(lost.orderId)) === 'CAPTURED' ? true : undefined));
      expect(await providerCharges(env, lost.orderId)).toHaveLength(1);
      expect((await outboxEvents(env, lost.orderId)).map((event) => event.event_type)).toEqual([
        'payment.captured',
      ]);
    }
    expect(await metric('circuit_breaker_state', ['upstream="payment-provider"'])).toBe(0);

    // The refused charge never reached the provider, so only the caller's retry (same
    // key) can complete it, and it does, once.
    const retry = await charge(env, refused);
    expect(retry.status).toBe(201);
    expect(await providerCharges(env, refused.orderId)).toHaveLength(1);
  });
});
