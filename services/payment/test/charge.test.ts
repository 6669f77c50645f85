import { randomUUID } from 'node:crypto';
import { outboxEvents, paymentRows, providerCharges } from './assertions';
import { call, charge, newChargeRequest, startPaymentTestEnv, type PaymentTestEnv } from './support';

let env: PaymentTestEnv;
beforeAll(async () => {
  env = await startPaymentTestEnv();
});
afterAll(() => env.stop());

describe('POST /internal/payments/charge', () => {
  it('with tok_visa, answers 201 CAPTURED, stores one captured payment and writes payment.captured', async () => {
    const request = newChargeRequest({ amountCents: 4200 });
    const res = await charge(env, request);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      orderId: request.orderId,
      status: 'CAPTURED',
      amountCents: 4200,
      currency: 'USD',
    });
    const [provider] = await providerCharges(env, request.orderId);
    expect(await paymentRows(env, request.orderId)).toEqual([
      { id: res.body.id, status: 'CAPTURED', provider_charge_id: provider?.id, version: 1 },
    ]);
    expect(await outboxEvents(env, request.orderId)).toEqual([
      {
        event_type: 'payment.captured',
        topic: 'payments',
        message_key: res.body.id,
        data: {
          paymentId: res.body.id,
          orderId: request.orderId,
          userId: request.userId,
          amountCents: 4200,
          currency: 'USD',
          version: 1,
        },
      },
    ]);
  });

  it('with tok_decline, answers 402 PAYMENT_DECLINED with the payment id and writes payment.declined', async () => {
    const request = newChargeRequest({ token: 'tok_decline' });
    const res = await charge(env, request);
    expect(res.status).toBe(402);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const [row] = await paymentRows(env, request.orderId);
    expect(res.body).toMatchObject({
      code: 'PAYMENT_DECLINED',
      paymentId: row?.id,
      orderId: request.orderId,
    });
    expect(row?.status).toBe('DECLINED');
    expect((await outboxEvents(env, request.orderId)).map((event) => event.data)).toEqual([
      expect.objectContaining({ reason: 'card_declined', version: 1 }),
    ]);
  });

  it('with a token the provider does not know, answers 400 naming the token and captures nothing', async () => {
    const request = newChargeRequest({ token: 'tok_amex' });
    const res = await charge(env, request);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'token' }] });
    expect(await providerCharges(env, request.orderId)).toEqual([]);
    expect(await outboxEvents(env, request.orderId)).toEqual([]);
  });

  it('without an Idempotency-Key, or with one that is not the order id, answers 400', async () => {
    const request = newChargeRequest();
    const missing = await call(env.url, 'POST', '/internal/payments/charge', {
      token: env.orderToken,
      body: request,
    });
    const other = await call(env.url, 'POST', '/internal/payments/charge', {
      token: env.orderToken,
      body: request,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(missing.status).toBe(400);
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ errors: [{ path: 'idempotency-key' }] });
    expect(await paymentRows(env, request.orderId)).toEqual([]);
  });

  it.each([
    ['a non-uuid order id', { orderId: 'order-1' }, 'orderId'],
    ['a fractional amount', { amountCents: 10.5 }, 'amountCents'],
    ['a negative amount', { amountCents: -5 }, 'amountCents'],
    ['a lower-case currency', { currency: 'usd' }, 'currency'],
    ['a currency ISO 4217 does not know', { currency: 'XYZ' }, 'currency'],
    ['an empty token', { token: '' }, 'token'],
  ])('with %s, answers 400 naming the field', async (_label, change, field) => {
    const request = { ...newChargeRequest(), ...change };
    const res = await call<{ errors: Array<{ path: string }> }>(
      env.url,
      'POST',
      '/internal/payments/charge',
      {
        token: env.orderToken,
        body: request,
        headers: { 'idempotency-key': request.orderId },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((error) => error.path)).toContain(field);
  });
});

describe('operations endpoints', () => {
  it('reports ready with its database and counts payment outcomes', async () => {
    const ready = await call(env.adminUrl, 'GET', '/health/ready');
    expect(ready.body).toEqual({ status: 'up', shuttingDown: false, checks: { postgres: 'up' } });
    await charge(env, newChargeRequest());
    const metrics = await fetch(`${env.adminUrl}/metrics`).then((res) => res.text());
    expect(metrics).toMatch(/payments_total\{outcome="captured".*\} [1-9]\d*/);
    expect(metrics).toMatch(/payments_total\{outcome="pending".*\} \d+/);
  });
});
