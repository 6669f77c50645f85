import { outboxEvents, paymentRows, providerChargeCalls, providerCharges } from './assertions';
import {
  cancel,
  charge,
  newChargeRequest,
  refund,
  startPaymentTestEnv,
  type PaymentTestEnv,
} from './support';

let env: PaymentTestEnv;
beforeAll(async () => {
  env = await startPaymentTestEnv();
});
afterAll(() => env.stop());

describe('charging the same order again', () => {
  it('when the charge is replayed, answers the same payment and does not call the provider again', async () => {
    const request = newChargeRequest();
    const callsBefore = await providerChargeCalls(env);
    const first = await charge(env, request);
    const replay = await charge(env, request);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect((await providerChargeCalls(env)) - callsBefore).toBe(1);
    expect(await providerCharges(env, request.orderId)).toHaveLength(1);
    expect(await outboxEvents(env, request.orderId)).toHaveLength(1);
  });

  it('when a declined charge is replayed, answers the same 402', async () => {
    const request = newChargeRequest({ token: 'tok_decline' });
    const first = await charge(env, request);
    const replay = await charge(env, request);
    expect(replay.status).toBe(402);
    expect(replay.body.paymentId).toBe(first.body.paymentId);
  });

  it('when 10 charges of one order race, captures once at the provider and stores one CAPTURED payment', async () => {
    const request = newChargeRequest();
    const callsBefore = await providerChargeCalls(env);
    const answers = await Promise.all(Array.from({ length: 10 }, () => charge(env, request)));
    expect(answers.map((res) => res.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(await providerCharges(env, request.orderId)).toHaveLength(1);
    expect((await providerChargeCalls(env)) - callsBefore).toBe(1);
    expect(await paymentRows(env, request.orderId)).toEqual([
      expect.objectContaining({ status: 'CAPTURED', version: 1 }),
    ]);
    expect(await outboxEvents(env, request.orderId)).toHaveLength(1);
  });

  it.each([
    ['another amount', { amountCents: 2000 }],
    ['another currency', { currency: 'EUR' }],
  ])('with %s, answers 422 IDEMPOTENCY_KEY_REUSED and keeps the first payment', async (_label, change) => {
    const request = newChargeRequest();
    const first = await charge(env, request);
    const reused = await charge(env, { ...request, ...change });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', paymentId: first.body.id });
    expect(await providerCharges(env, request.orderId)).toHaveLength(1);
  });
});

describe('replaying a charge after the payment moved on', () => {
  it('when the capture was refunded since, answers the first 201 again and charges nothing', async () => {
    const request = newChargeRequest();
    const first = await charge(env, request);
    expect((await refund(env, request.orderId)).body.status).toBe('REFUNDED');
    const callsBefore = await providerChargeCalls(env);

    const replay = await charge(env, request);

    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect((await providerChargeCalls(env)) - callsBefore).toBe(0);
  });

  it('when the order was cancelled after its capture (refunded), answers the first 201 again', async () => {
    const request = newChargeRequest();
    const first = await charge(env, request);
    expect((await cancel(env, request.orderId)).body.status).toBe('REFUNDED');
    const replay = await charge(env, request);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
  });

  it('when a declined payment was cancelled since, answers the first 402 again', async () => {
    const request = newChargeRequest({ token: 'tok_decline' });
    const first = await charge(env, request);
    await cancel(env, request.orderId);
    const replay = await charge(env, request);
    expect([first.status, replay.status]).toEqual([402, 402]);
    expect(replay.body.paymentId).toBe(first.body.paymentId);
  });

  it('when the order was cancelled before any charge, every charge answers 409 and nothing is captured', async () => {
    const request = newChargeRequest();
    await cancel(env, request.orderId);
    const answers = [await charge(env, request), await charge(env, request)];
    expect(answers.map((answer) => answer.status)).toEqual([409, 409]);
    expect(await providerCharges(env, request.orderId)).toHaveLength(0);
  });
});
