import {
  cancelPaymentRoute,
  chargePaymentRoute,
  createChargeRoute,
  getChargeRoute,
  internalOpenApiText,
  readAnswer,
  refundChargeRoute,
  refundPaymentRoute,
} from '@surge/contracts';
import {
  call,
  cancel,
  charge,
  newChargeRequest,
  refund,
  startPaymentTestEnv,
  type PaymentTestEnv,
} from './support';

/**
 * The real payment service and provider simulator keep their contracts
 * (packages/contracts/src/internal/payment-api.ts, provider-api.ts): each answer parses
 * with the schema their clients read it with (readAnswer throws otherwise).
 */
let env: PaymentTestEnv;
beforeAll(async () => {
  env = await startPaymentTestEnv();
});
afterAll(() => env.stop());

const read = <R extends Parameters<typeof readAnswer>[1]>(route: R, res: { status: number; body: unknown }) =>
  readAnswer('payment', route, res);

describe('the payment service’s internal answers', () => {
  it('capture, replay, refund, decline, cancelled and rejected charges answer as the contract says', async () => {
    const paid = newChargeRequest();
    expect(read(chargePaymentRoute, await charge(env, paid))).toMatchObject({ status: 201 });
    expect(read(chargePaymentRoute, await charge(env, paid))).toMatchObject({ status: 201 });
    expect(read(refundPaymentRoute, await refund(env, paid.orderId))).toEqual({
      status: 200,
      body: { orderId: paid.orderId, status: 'REFUNDED' },
    });

    const declined = newChargeRequest({ token: 'tok_decline' });
    expect(read(chargePaymentRoute, await charge(env, declined))).toMatchObject({
      status: 402,
      body: { code: 'PAYMENT_DECLINED', orderId: declined.orderId },
    });

    const cancelled = newChargeRequest();
    expect(read(cancelPaymentRoute, await cancel(env, cancelled.orderId))).toEqual({
      status: 200,
      body: { orderId: cancelled.orderId, status: 'CANCELLED' },
    });
    expect(read(chargePaymentRoute, await charge(env, cancelled))).toMatchObject({
      status: 409,
      body: { code: 'CONFLICT', paymentStatus: 'CANCELLED' },
    });

    expect(
      read(chargePaymentRoute, await charge(env, newChargeRequest({ token: 'tok_unknown' }))),
    ).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(
      read(chargePaymentRoute, await charge(env, { ...paid, amountCents: paid.amountCents + 1 })),
    ).toMatchObject({
      status: 422,
      body: { code: 'IDEMPOTENCY_KEY_REUSED' },
    });
  });

  it('the provider simulator’s charges, lookups and refunds answer as its contract says', async () => {
    const key = `contract-${Date.now()}`;
    const body = { amountCents: 500, currency: 'JPY', token: 'tok_visa' };
    const created = read(
      createChargeRoute,
      await call(env.providerUrl, 'POST', '/v1/charges', { body, headers: { 'idempotency-key': key } }),
    );
    expect(created).toMatchObject({ status: 201, body: { status: 'captured' } });
    const chargeId = created.status === 201 ? created.body.id : '';
    expect(
      read(refundChargeRoute, await call(env.providerUrl, 'POST', '/v1/refunds', { body: { chargeId } })),
    ).toMatchObject({
      status: 200,
      body: { chargeId, status: 'refunded' },
    });
    expect(read(getChargeRoute, await call(env.providerUrl, 'GET', `/v1/charges/${key}`))).toMatchObject({
      status: 200,
      body: { id: chargeId, status: 'refunded', idempotencyKey: key },
    });
    expect(read(getChargeRoute, await call(env.providerUrl, 'GET', `/v1/charges/${key}-none`))).toMatchObject(
      {
        status: 404,
      },
    );
    const declined = read(
      createChargeRoute,
      await call(env.providerUrl, 'POST', '/v1/charges', {
        body: { ...body, token: 'tok_decline' },
        headers: { 'idempotency-key': `${key}-d` },
      }),
    );
    expect(declined).toMatchObject({ status: 402, body: { status: 'declined' } });
    const declinedId = declined.status === 402 ? declined.body.id : '';
    expect(
      read(
        refundChargeRoute,
        await call(env.providerUrl, 'POST', '/v1/refunds', { body: { chargeId: declinedId } }),
      ),
    ).toMatchObject({
      status: 409,
      body: { code: 'CONFLICT', chargeId: declinedId, chargeStatus: 'declined' },
    });
  });

  it('both serve their generated OpenAPI document on the admin listener', async () => {
    const payment = await fetch(`${env.adminUrl}/docs/openapi.json`).then((res) => res.text());
    const provider = await fetch(`${env.providerAdminUrl}/docs/openapi.json`).then((res) => res.text());
    expect(payment).toBe(internalOpenApiText('payment'));
    expect(provider).toBe(internalOpenApiText('payment-provider'));
  });
});
