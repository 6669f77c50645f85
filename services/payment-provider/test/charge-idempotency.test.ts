import { chargeRows, newCharge, postCharge, startTestProvider, type TestProvider } from './support';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(() => provider.stop());

describe('POST /v1/charges idempotency', () => {
  it('when the key is replayed, answers the first answer and charges once', async () => {
    const charge = newCharge();
    const first = await postCharge(provider, charge);
    const second = await postCharge(provider, charge);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await chargeRows(provider, charge.key)).toHaveLength(1);
  });

  it('when a declined charge is replayed, answers the same 402', async () => {
    const charge = newCharge({ token: 'tok_decline' });
    const first = await postCharge(provider, charge);
    const second = await postCharge(provider, charge);
    expect(second.status).toBe(402);
    expect(second.body).toEqual(first.body);
  });

  it('when 10 identical requests race, captures once and answers them all with that charge', async () => {
    const charge = newCharge();
    const answers = await Promise.all(Array.from({ length: 10 }, () => postCharge(provider, charge)));
    expect(answers.map((res) => res.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(await chargeRows(provider, charge.key)).toHaveLength(1);
  });

  it.each([
    ['another amount', { amountCents: 2000 }],
    ['another currency', { currency: 'EUR' }],
    ['another token', { token: 'tok_decline' }],
  ])('when the key is reused with %s, answers 422 and keeps the first charge', async (_label, change) => {
    const charge = newCharge();
    const first = await postCharge(provider, charge);
    const reused = await postCharge(provider, { key: charge.key, body: { ...charge.body, ...change } });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', chargeId: first.body.id });
    expect(await chargeRows(provider, charge.key)).toEqual([
      { id: first.body.id, outcome: 'captured', refund_id: null },
    ]);
  });
});
