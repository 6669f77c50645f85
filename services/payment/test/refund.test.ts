import { randomUUID } from 'node:crypto';
import { outboxEvents, paymentRows, providerCharges } from './assertions';
import {
  charge,
  clearFaults,
  newChargeRequest,
  refund,
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

describe('POST /internal/payments/refund', () => {
  it('refunds a captured payment once, however often it is called', async () => {
    const request = newChargeRequest();
    const charged = await charge(env, request);
    const answers = [await refund(env, request.orderId), await refund(env, request.orderId)];
    expect(answers.map((res) => [res.status, res.body])).toEqual([
      [200, { orderId: request.orderId, status: 'REFUNDED' }],
      [200, { orderId: request.orderId, status: 'REFUNDED' }],
    ]);
    expect(await paymentRows(env, request.orderId)).toEqual([
      expect.objectContaining({ id: charged.body.id, status: 'REFUNDED', version: 2 }),
    ]);
    expect((await outboxEvents(env, request.orderId)).map((event) => event.event_type)).toEqual([
      'payment.captured',
      'payment.refunded',
    ]);
    expect(await providerCharges(env, request.orderId)).toEqual([
      expect.objectContaining({ refund_id: expect.any(String) }),
    ]);
  });

  it('when concurrent refunds race, records one refund', async () => {
    const request = newChargeRequest();
    await charge(env, request);
    const answers = await Promise.all([1, 2, 3].map(() => refund(env, request.orderId)));
    expect(answers.map((res) => res.body.status)).toEqual(['REFUNDED', 'REFUNDED', 'REFUNDED']);
    expect(
      (await outboxEvents(env, request.orderId)).filter((e) => e.event_type === 'payment.refunded'),
    ).toHaveLength(1);
  });

  it('answers NONE for an order without a capture: unknown, declined', async () => {
    expect((await refund(env, randomUUID())).body.status).toBe('NONE');
    const declined = newChargeRequest({ token: 'tok_decline' });
    await charge(env, declined);
    expect((await refund(env, declined.orderId)).body).toEqual({ orderId: declined.orderId, status: 'NONE' });
  });

  it('refunds a capture whose answer was lost, after asking the provider', async () => {
    await setFaults(env, { dropAfterCapture: true });
    const request = newChargeRequest();
    expect((await charge(env, request)).status).toBe(503);
    expect((await refund(env, request.orderId)).body).toEqual({
      orderId: request.orderId,
      status: 'REFUNDED',
    });
  });

  it('after a refund, a replayed charge answers its first 201 again and charges nothing', async () => {
    const request = newChargeRequest();
    await charge(env, request);
    await refund(env, request.orderId);
    // The key's promise (issue 10): a replay answers what the first call did.
    expect((await charge(env, request)).status).toBe(201);
    expect(await providerCharges(env, request.orderId)).toHaveLength(1);
    expect(await paymentRows(env, request.orderId)).toEqual([
      expect.objectContaining({ status: 'REFUNDED' }),
    ]);
  });

  it('answers 503 when the provider is down, and REFUNDED once it is back', async () => {
    const request = newChargeRequest();
    await charge(env, request);
    await setFaults(env, { errorRate: 1 });
    expect((await refund(env, request.orderId)).status).toBe(503);
    expect(await paymentRows(env, request.orderId)).toEqual([
      expect.objectContaining({ status: 'CAPTURED' }),
    ]);
    await clearFaults(env);
    expect((await refund(env, request.orderId)).body.status).toBe('REFUNDED');
  });
});
