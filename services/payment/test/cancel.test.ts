import { randomUUID } from 'node:crypto';
import { outboxEvents, paymentRows, providerChargeCalls, providerCharges } from './assertions';
import {
  call,
  cancel,
  charge,
  clearFaults,
  newChargeRequest,
  setFaults,
  startPaymentTestEnv,
  type PaymentTestEnv,
} from './support';

let env: PaymentTestEnv;
beforeAll(async () => {
  env = await startPaymentTestEnv();
});
afterEach(() => clearFaults(env));
afterAll(() => env.stop());

describe('POST /internal/payments/cancel', () => {
  it('for an order never charged, answers CANCELLED, and a later charge answers 409 without reaching the provider', async () => {
    const request = newChargeRequest();
    const res = await cancel(env, request.orderId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ orderId: request.orderId, status: 'CANCELLED' });

    const callsBefore = await providerChargeCalls(env);
    const late = await charge(env, request);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CONFLICT');
    expect(await providerChargeCalls(env)).toBe(callsBefore);
    expect(await providerCharges(env, request.orderId)).toEqual([]);
  });

  it('for a PENDING payment the provider never charged, answers CANCELLED and refuses a later charge', async () => {
    await setFaults(env, { errorRate: 1 });
    const request = newChargeRequest();
    expect((await charge(env, request)).status).toBe(503);
    await clearFaults(env);

    expect((await cancel(env, request.orderId)).body).toEqual({
      orderId: request.orderId,
      status: 'CANCELLED',
    });
    expect((await charge(env, request)).status).toBe(409);
    expect(await providerCharges(env, request.orderId)).toEqual([]);
    expect(await paymentRows(env, request.orderId)).toEqual([
      expect.objectContaining({ status: 'CANCELLED' }),
    ]);
  });

  it('after a capture whose answer was lost, refunds it and answers REFUNDED', async () => {
    await setFaults(env, { dropAfterCapture: true });
    const request = newChargeRequest();
    expect((await charge(env, request)).status).toBe(503);

    const res = await cancel(env, request.orderId);
    expect(res.body).toEqual({ orderId: request.orderId, status: 'REFUNDED' });
    expect(await providerCharges(env, request.orderId)).toEqual([
      { id: expect.any(String), outcome: 'captured', refund_id: expect.any(String) },
    ]);
    expect(
      (await outboxEvents(env, request.orderId)).map((event) => [event.event_type, event.data.version]),
    ).toEqual([
      ['payment.captured', 1],
      ['payment.refunded', 2],
    ]);
    expect((await charge(env, request)).status).toBe(409);
  });

  it('for a captured payment, refunds it and answers REFUNDED', async () => {
    const request = newChargeRequest();
    expect((await charge(env, request)).status).toBe(201);
    expect((await cancel(env, request.orderId)).body).toEqual({
      orderId: request.orderId,
      status: 'REFUNDED',
    });
    expect(await paymentRows(env, request.orderId)).toEqual([
      expect.objectContaining({ status: 'REFUNDED', version: 2 }),
    ]);
  });

  it('for a declined payment, answers CANCELLED and a replayed charge still answers its first 402', async () => {
    const request = newChargeRequest({ token: 'tok_decline' });
    expect((await charge(env, request)).status).toBe(402);
    expect((await cancel(env, request.orderId)).body).toEqual({
      orderId: request.orderId,
      status: 'CANCELLED',
    });
    expect((await charge(env, request)).status).toBe(402);
  });

  it('is idempotent: repeating it answers the same and writes nothing more', async () => {
    const request = newChargeRequest();
    await charge(env, request);
    const first = await cancel(env, request.orderId);
    const again = await cancel(env, request.orderId);
    expect(again.body).toEqual(first.body);
    expect(await outboxEvents(env, request.orderId)).toHaveLength(2);

    const neverCharged = randomUUID();
    expect((await cancel(env, neverCharged)).body).toEqual({ orderId: neverCharged, status: 'CANCELLED' });
    expect((await cancel(env, neverCharged)).body).toEqual({ orderId: neverCharged, status: 'CANCELLED' });
  });

  it('answers 400 for a malformed order id', async () => {
    const res = await call(env.url, 'POST', '/internal/payments/cancel', {
      token: env.orderToken,
      body: { orderId: 'nope' },
    });
    expect(res.status).toBe(400);
  });
});
