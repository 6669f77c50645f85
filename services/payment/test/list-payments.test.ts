import { randomUUID } from 'node:crypto';
import { contractViolations, orderCursor } from '@surge/contracts';
import { call, charge, newChargeRequest, startPaymentTestEnv, type PaymentTestEnv } from './support';

interface Page {
  items: Array<{ orderId: string; status: string }>;
  nextCursor: string | null;
}

let env: PaymentTestEnv;
beforeAll(async () => {
  env = await startPaymentTestEnv();
});
afterAll(() => env.stop());

describe('GET /api/payments', () => {
  it("lists the caller's payment for an order with the contract fields only", async () => {
    const userId = randomUUID();
    const request = newChargeRequest({ userId, amountCents: 1234 });
    const charged = await charge(env, request);
    const res = await call(env.url, 'GET', `/api/payments?orderId=${request.orderId}`, {
      token: env.token({ userId }),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id: charged.body.id,
          orderId: request.orderId,
          amountCents: 1234,
          currency: 'USD',
          status: 'CAPTURED',
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        },
      ],
      nextCursor: null,
    });
  });

  it("lists all the caller's payments newest first, declined included, and nobody else's", async () => {
    const userId = randomUUID();
    const captured = newChargeRequest({ userId });
    const declined = newChargeRequest({ userId, token: 'tok_decline' });
    await charge(env, captured);
    await charge(env, declined);
    await charge(env, newChargeRequest());
    const res = await call<Page>(env.url, 'GET', '/api/payments', { token: env.token({ userId }) });
    expect(res.body.items.map((payment) => [payment.orderId, payment.status])).toEqual([
      [declined.orderId, 'DECLINED'],
      [captured.orderId, 'CAPTURED'],
    ]);
  });

  it("answers an empty list for another user's order: existence is not leaked", async () => {
    const request = newChargeRequest();
    await charge(env, request);
    const res = await call(env.url, 'GET', `/api/payments?orderId=${request.orderId}`, {
      token: env.token({ userId: randomUUID() }),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it("lets an admin read any user's payment", async () => {
    const request = newChargeRequest();
    await charge(env, request);
    const res = await call<Page>(env.url, 'GET', `/api/payments?orderId=${request.orderId}`, {
      token: env.token({ role: 'admin' }),
    });
    expect(res.body.items).toHaveLength(1);
  });

  it('answers 401 without a token and with a forged one', async () => {
    const none = await call(env.url, 'GET', '/api/payments');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHORIZED');
    const forged = await call(env.url, 'GET', '/api/payments', { token: 'not.a.jwt' });
    expect(forged.status).toBe(401);
  });

  it('answers 400 for an order id that is not a uuid', async () => {
    const res = await call(env.url, 'GET', '/api/payments?orderId=42', { token: env.token() });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'orderId' }] });
  });

  it('answers what the public contract documents: the list, 400 and 401', async () => {
    const userId = randomUUID();
    const request = newChargeRequest({ userId, token: 'tok_decline' });
    await charge(env, request);
    await charge(env, newChargeRequest({ userId }));

    for (const [query, withToken, status] of [
      ['', true, 200],
      ['?limit=1', true, 200],
      ['?orderId=not-a-uuid', true, 400],
      ['?limit=0', true, 400],
      ['?cursor=not-issued', true, 400],
      ['', false, 401],
    ] as const) {
      const res = await call(
        env.url,
        'GET',
        `/api/payments${query}`,
        withToken ? { token: env.token({ userId }) } : {},
      );
      expect(res.status).toBe(status);
      expect(contractViolations('listPayments', res.status, res.body)).toEqual([]);
    }
  });

  it('pages through the payments newest first with the cursor of each page, none twice or left out', async () => {
    const userId = randomUUID();
    const requests = [
      newChargeRequest({ userId }),
      newChargeRequest({ userId }),
      newChargeRequest({ userId }),
    ];
    for (const request of requests) await charge(env, request);
    const token = env.token({ userId });

    const first = await call<Page>(env.url, 'GET', '/api/payments?limit=2', { token });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call<Page>(
      env.url,
      'GET',
      `/api/payments?limit=2&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
      { token },
    );

    expect(second.status).toBe(200);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((payment) => payment.orderId)).toEqual(
      requests.map((request) => request.orderId).reverse(),
    );
  });

  it('answers 400 naming the cursor for one this list did not issue', async () => {
    const foreign = orderCursor.encode({ createdAt: '2026-01-01T00:00:00.000000Z', id: randomUUID() });
    const res = await call(env.url, 'GET', `/api/payments?cursor=${foreign}`, { token: env.token() });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'cursor' }] });
  });

  it('answers 400 for a query parameter it does not take, instead of ignoring it', async () => {
    // A misspelt filter (`?orderid=`) used to list every payment of the caller as if unfiltered.
    const res = await call(env.url, 'GET', '/api/payments?x=false', { token: env.token() });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(res.body)).toContain('x');
  });
});
