import { call, chargeRows, newCharge, postCharge, startTestProvider, type TestProvider } from './support';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(() => provider.stop());

describe('POST /v1/charges', () => {
  it('with tok_visa, captures and answers 201', async () => {
    const charge = newCharge({ token: 'tok_visa', amountCents: 2500 });
    const res = await postCharge(provider, charge);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'captured',
      amountCents: 2500,
      currency: 'USD',
      createdAt: expect.any(String),
    });
    expect(await chargeRows(provider, charge.key)).toEqual([
      { id: res.body.id, outcome: 'captured', refund_id: null },
    ]);
  });

  it('with tok_decline, declines and answers 402', async () => {
    const charge = newCharge({ token: 'tok_decline' });
    const res = await postCharge(provider, charge);
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ id: expect.any(String), status: 'declined' });
  });

  it('with any other token, answers 400 naming the token and stores nothing', async () => {
    const charge = newCharge({ token: 'tok_mastercard' });
    const res = await postCharge(provider, charge);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'token' }] });
    expect(await chargeRows(provider, charge.key)).toEqual([]);
  });

  it('with a currency ISO 4217 does not know, answers 400 naming it and stores nothing', async () => {
    const charge = newCharge({ currency: 'XYZ' });
    const res = await postCharge(provider, charge);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'currency' }] });
    expect(await chargeRows(provider, charge.key)).toEqual([]);
  });

  it("charges yen as yen: the amount is in the currency's minor unit, JPY has none below the yen", async () => {
    const charge = newCharge({ currency: 'JPY', amountCents: 1500 });
    const res = await postCharge(provider, charge);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amountCents: 1500, currency: 'JPY' });
  });

  it('without an Idempotency-Key, answers 400', async () => {
    const res = await call(provider.url, 'POST', '/v1/charges', { body: newCharge().body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'idempotency-key' }] });
  });

  it.each([
    ['a fractional amount', { amountCents: 1.5, currency: 'USD', token: 'tok_visa' }, 'amountCents'],
    ['a negative amount', { amountCents: -1, currency: 'USD', token: 'tok_visa' }, 'amountCents'],
    ['a lower-case currency', { amountCents: 1, currency: 'usd', token: 'tok_visa' }, 'currency'],
    ['an unknown field', { amountCents: 1, currency: 'USD', token: 'tok_visa', card: '4242' }, '(root)'],
  ])('with %s, answers 400 naming the field', async (_label, body, field) => {
    const res = await call<{ errors: Array<{ path: string }> }>(provider.url, 'POST', '/v1/charges', {
      body,
      headers: { 'idempotency-key': newCharge().key },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((error) => error.path)).toContain(field);
  });
});

describe('GET /v1/charges/:idempotencyKey', () => {
  it('answers the charge as it is now', async () => {
    const charge = newCharge();
    const created = await postCharge(provider, charge);
    const res = await call(provider.url, 'GET', `/v1/charges/${charge.key}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.body.id,
      idempotencyKey: charge.key,
      status: 'captured',
      amountCents: 1999,
      refundedAt: null,
    });
  });

  it('answers 404 for a key it never saw', async () => {
    const res = await call(provider.url, 'GET', `/v1/charges/${newCharge().key}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});

describe('operations endpoints', () => {
  it('reports ready with its database', async () => {
    const ready = await call(provider.adminUrl, 'GET', '/health/ready');
    expect(ready.body).toEqual({ status: 'up', shuttingDown: false, checks: { postgres: 'up' } });
  });
});
