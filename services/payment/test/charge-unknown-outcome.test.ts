import { closedPort, eventually } from '@surge/testing';
import { outboxEvents, paymentRows, providerCharges } from './assertions';
import {
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
beforeAll(async () => {
  env = await startPaymentTestEnv(SHORT_PROVIDER_TIMEOUT);
});
afterEach(() => clearFaults(env));
afterAll(() => env.stop());

describe('when the provider gives no definite answer', () => {
  it('a dropped connection after the capture answers 503, and the retry answers 201 with exactly one charge', async () => {
    await setFaults(env, { dropAfterCapture: true });
    const request = newChargeRequest();

    const first = await charge(env, request);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', orderId: request.orderId });
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await paymentRows(env, request.orderId)).toEqual([expect.objectContaining({ status: 'PENDING' })]);

    // The fault stays on: the simulator only drops fresh captures, so the retry is a replay.
    const retry = await charge(env, request);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ status: 'CAPTURED', orderId: request.orderId });
    expect(await providerCharges(env, request.orderId)).toEqual([
      { id: expect.any(String), outcome: 'captured', refund_id: null },
    ]);
    expect((await outboxEvents(env, request.orderId)).map((event) => event.event_type)).toEqual([
      'payment.captured',
    ]);
  });

  it('latency beyond the timeout answers 504 and leaves the payment PENDING; a retry captures exactly once', async () => {
    await setFaults(env, { latencyMs: LATENCY_BEYOND_TIMEOUT_MS });
    const request = newChargeRequest();

    const first = await charge(env, request);
    expect(first.status).toBe(504);
    expect(first.body.code).toBe('DEPENDENCY_TIMEOUT');
    expect(JSON.stringify(first.body)).not.toMatch(/127\.0\.0\.1|localhost|at .*\.(ts|js):\d+/);
    expect(await paymentRows(env, request.orderId)).toEqual([expect.objectContaining({ status: 'PENDING' })]);

    await clearFaults(env);
    const retry = await charge(env, request);
    expect(retry.status).toBe(201);
    // The slow first request lands at the provider later, as a replay of the same key.
    await new Promise((resolve) => setTimeout(resolve, LATENCY_BEYOND_TIMEOUT_MS));
    expect(await providerCharges(env, request.orderId)).toHaveLength(1);
    expect(await paymentRows(env, request.orderId)).toEqual([
      expect.objectContaining({ status: 'CAPTURED', version: 1 }),
    ]);
  });

  it('a provider 500 answers 503 with nothing captured, and the retry captures', async () => {
    await setFaults(env, { errorRate: 1 });
    const request = newChargeRequest();
    expect((await charge(env, request)).status).toBe(503);
    expect(await providerCharges(env, request.orderId)).toEqual([]);
    await clearFaults(env);
    expect((await charge(env, request)).status).toBe(201);
  });

  it('a hung provider answers 504 within the timeout', async () => {
    await setFaults(env, { hang: true });
    const res = await charge(env, newChargeRequest());
    // The provider never answers: a 504 DEPENDENCY_TIMEOUT is our timeout ending the wait
    // (a stopwatch bound here failed on a busy machine, not on a wrong answer).
    expect(res.status).toBe(504);
    expect(res.body.code).toBe('DEPENDENCY_TIMEOUT');
  });
});

describe('when the provider is unreachable', () => {
  let down: PaymentTestEnv;
  beforeAll(async () => {
    down = await startPaymentTestEnv({ PAYMENT_PROVIDER_URL: `http://127.0.0.1:${await closedPort()}` });
  });
  afterAll(() => down.stop());

  it('answers 503 and keeps the intent PENDING for the retry', async () => {
    const request = newChargeRequest();
    const res = await charge(down, request);
    expect(res.status).toBe(503);
    await eventually(async () =>
      (await paymentRows(down, request.orderId))[0]?.status === 'PENDING' ? true : undefined,
    );
  });
});
