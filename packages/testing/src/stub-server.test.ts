import { randomUUID } from 'node:crypto';
import { getChargeRoute, releaseReservationRoute } from '@surge/contracts';
import { startAnswerStub, stubProblem, type AnswerStub } from './stub-server';

let stub: AnswerStub;
beforeAll(async () => {
  stub = await startAnswerStub();
});
afterAll(() => stub.close());

const post = (path: string, body: unknown) =>
  fetch(`${stub.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'key-12345' },
    body: JSON.stringify(body),
  });

describe('the answer stub', () => {
  it('answers what the contract allows and records each request with its parsed body', async () => {
    const orderId = randomUUID();
    stub.answer(releaseReservationRoute, 200, { orderId, status: 'RELEASED' });

    const res = await post(`/internal/reservations/${orderId}/release`, { note: 1 });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ orderId, status: 'RELEASED' });
    expect(stub.requests.at(-1)).toMatchObject({
      method: 'POST',
      url: `/internal/reservations/${orderId}/release`,
      headers: { 'idempotency-key': 'key-12345' },
      body: { note: 1 },
    });
  });

  it('refuses to be set to an answer outside the contract unless the test says it breaks it', async () => {
    expect(() =>
      stub.answer(releaseReservationRoute, 200, { orderId: 'not-a-uuid', status: 'RELEASED' }),
    ).toThrow(/releaseReservation 200 breaks its contract/);

    stub.breakContract(200, { orderId: 'not-a-uuid' });
    const res = await post('/anything', {});
    expect(await res.json()).toEqual({ orderId: 'not-a-uuid' });
  });

  it('sends an error answer as a problem document', async () => {
    stub.answer(getChargeRoute, 404, stubProblem(404, 'NOT_FOUND'));

    const res = await fetch(`${stub.url}/v1/charges/some-key-1`);

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', type: '/problems/not-found' });
  });
});
