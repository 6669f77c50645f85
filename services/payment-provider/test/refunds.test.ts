import { randomUUID } from 'node:crypto';
import { call, newCharge, postCharge, startTestProvider, type TestProvider } from './support';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(() => provider.stop());

const refund = (chargeId: unknown) => call(provider.url, 'POST', '/v1/refunds', { body: { chargeId } });

describe('POST /v1/refunds', () => {
  it('refunds a captured charge once, answering the same refund on every repeat', async () => {
    const charge = newCharge();
    const created = await postCharge(provider, charge);
    const first = await refund(created.body.id);
    const again = await refund(created.body.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: expect.any(String),
      chargeId: created.body.id,
      status: 'refunded',
      amountCents: 1999,
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('after a refund, GET shows it refunded while a replayed POST still answers the first answer', async () => {
    const charge = newCharge();
    const created = await postCharge(provider, charge);
    const refunded = await refund(created.body.id);
    const state = await call(provider.url, 'GET', `/v1/charges/${charge.key}`);
    expect(state.body).toMatchObject({ status: 'refunded', refundId: refunded.body.id });
    const replay = await postCharge(provider, charge);
    expect(replay.status).toBe(201);
    expect(replay.body.status).toBe('captured');
  });

  it('answers 409 for a declined charge: no money was taken', async () => {
    const created = await postCharge(provider, newCharge({ token: 'tok_decline' }));
    const res = await refund(created.body.id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONFLICT');
  });

  it('answers 404 for an unknown charge and 400 for a malformed id', async () => {
    expect((await refund(randomUUID())).status).toBe(404);
    expect((await refund('not-a-uuid')).status).toBe(400);
  });
});
