import { createTestKeyPair, signTestServiceToken } from '@surge/testing';
import { paymentRows, providerCharges } from './assertions';
import { call, charge, newChargeRequest, startPaymentTestEnv, type PaymentTestEnv } from './support';

/**
 * Every internal route of the payment service takes a service token for `payment` from a
 * caller on its allow-list (order), and nothing else: docs/security.md, "Trust between
 * services". Attacked as a process inside the network would: no token, a user's token,
 * order's token for product, a forged token, and a real service that is not order.
 */
let env: PaymentTestEnv;
beforeAll(async () => {
  env = await startPaymentTestEnv();
});
afterAll(() => env.stop());

const ROUTES = [
  { name: 'charge', path: '/internal/payments/charge', ok: 201 },
  { name: 'cancel', path: '/internal/payments/cancel', ok: 200 },
  { name: 'refund', path: '/internal/payments/refund', ok: 200 },
];

describe.each(ROUTES)('POST $name on the payment service’s internal API', (route) => {
  /** The call, for a fresh order: a refund or cancel gets a captured charge to act on. */
  const send = async (authorization: string | undefined) => {
    const request = newChargeRequest();
    if (route.name !== 'charge') expect((await charge(env, request)).status).toBe(201);
    const before = await paymentRows(env, request.orderId);
    const res = await call(env.url, 'POST', route.path, {
      body: route.name === 'charge' ? request : { orderId: request.orderId },
      headers: { 'idempotency-key': request.orderId, ...(authorization ? { authorization } : {}) },
    });
    return { res, before, after: await paymentRows(env, request.orderId), orderId: request.orderId };
  };

  it('without a token is 401 with WWW-Authenticate, and charges or refunds nothing', async () => {
    const { res, before, after, orderId } = await send(undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="surge-internal"/);
    expect(after).toEqual(before);
    if (route.name === 'charge') expect(await providerCharges(env, orderId)).toHaveLength(0);
  });

  it('with a user token (even an admin’s) is 401', async () => {
    const { res, before, after } = await send(`Bearer ${env.token({ role: 'admin' })}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(after).toEqual(before);
  });

  it('with order’s token for another audience (product) is 401', async () => {
    const { res, before, after } = await send(`Bearer ${env.serviceToken('order', 'product')}`);
    expect(res.status).toBe(401);
    expect(after).toEqual(before);
  });

  it('with a token signed by a key the issuer never published is 401', async () => {
    const forged = signTestServiceToken(createTestKeyPair(), { service: 'order', audience: 'payment' });
    const { res, before, after } = await send(`Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(after).toEqual(before);
  });

  it('with a valid token of a service not on the allow-list (product) is 403', async () => {
    const { res, before, after } = await send(`Bearer ${env.serviceToken('product')}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    expect(after).toEqual(before);
  });

  it('with order’s token for payment succeeds', async () => {
    const { res } = await send(`Bearer ${env.orderToken}`);
    expect(res.status).toBe(route.ok);
  });
});

describe('the rest of the payment service', () => {
  it('is 404 for an /internal path no route has, 401 without a token', async () => {
    expect(
      (await call(env.url, 'POST', '/internal/payments/nothing', { token: env.orderToken })).status,
    ).toBe(404);
    expect((await call(env.url, 'POST', '/internal/payments/nothing')).status).toBe(401);
  });

  it('keeps the public health check open and user routes on user tokens', async () => {
    expect((await call(env.url, 'GET', '/health/ready')).status).toBe(200);
    expect((await call(env.url, 'GET', '/api/payments', { token: env.orderToken })).status).toBe(401);
    expect((await call(env.url, 'GET', '/api/payments', { token: env.token() })).status).toBe(200);
  });
});
