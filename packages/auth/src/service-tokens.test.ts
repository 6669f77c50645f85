import { issueServiceTokenRoute, stubAnswer } from '@surge/contracts';
import { DependencyError } from '@surge/errors';
import type { CallOptions, CallResult, ServiceCaller } from '@surge/http-client';
import { ServiceTokens } from './service-tokens';

/**
 * An issuer that answers token requests in order, counting them; the clock is the test's.
 * Its answers are checked against the token endpoint's contract (stubAnswer).
 */
function fakeIssuer(status: 200 | 401 = 200) {
  let issued = 0;
  const requests: CallOptions[] = [];
  const answer = () =>
    status === 200
      ? stubAnswer(issueServiceTokenRoute, 200, {
          access_token: `token-${issued}`,
          token_type: 'Bearer',
          expires_in: 100,
        })
      : stubAnswer(issueServiceTokenRoute, 401, {
          type: '/problems/invalid-credentials',
          title: 'Unauthorized',
          status: 401,
          detail: 'Client authentication failed',
          code: 'INVALID_CREDENTIALS',
          error: 'invalid_client',
          error_description: 'Client authentication failed',
        });
  const issuer: ServiceCaller = {
    // The fake speaks JSON like the real issuer: the client reads `unknown` and parses it.
    async call<T>(options: CallOptions): Promise<CallResult<T>> {
      requests.push(options);
      issued += 1;
      const { status: code, body } = answer();
      return { status: code, headers: {}, body: body as T };
    },
  };
  return { issuer, requests };
}

describe('ServiceTokens', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('asks once per audience and reuses the token while it is fresh', async () => {
    const { issuer, requests } = fakeIssuer();
    const tokens = new ServiceTokens({ issuer, clientId: 'order', clientSecret: 's', now: clock });

    const [a, b] = await Promise.all([tokens.tokenFor('product'), tokens.tokenFor('product')]);
    now += 50_000;
    const c = await tokens.tokenFor('product');
    const other = await tokens.tokenFor('payment');

    expect([a, b, c]).toEqual(['token-1', 'token-1', 'token-1']);
    expect(other).toBe('token-2');
    expect(requests.map((request) => (request.body as { audience: string }).audience)).toEqual([
      'product',
      'payment',
    ]);
    expect(requests[0]?.body).toMatchObject({ grant_type: 'client_credentials', client_id: 'order' });
  });

  it('past three quarters of its life, answers with it and fetches the next in the background', async () => {
    const { issuer, requests } = fakeIssuer();
    const tokens = new ServiceTokens({ issuer, clientId: 'order', clientSecret: 's', now: clock });
    await tokens.tokenFor('product');

    now += 80_000;
    expect(await tokens.tokenFor('product')).toBe('token-1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(requests).toHaveLength(2);
    expect(await tokens.tokenFor('product')).toBe('token-2');
  });

  it('close to expiry, waits for a new one; invalidate drops a refused one', async () => {
    const { issuer } = fakeIssuer();
    const tokens = new ServiceTokens({ issuer, clientId: 'order', clientSecret: 's', now: clock });
    await tokens.tokenFor('product');

    now += 95_000;
    expect(await tokens.tokenFor('product')).toBe('token-2');
    tokens.invalidate('product', 'token-1'); // no longer the cached one: nothing happens
    expect(await tokens.tokenFor('product')).toBe('token-2');
    tokens.invalidate('product', 'token-2');
    expect(await tokens.tokenFor('product')).toBe('token-3');
  });

  it('an issuer that refuses the client is a dependency error naming its answer', async () => {
    const { issuer } = fakeIssuer(401);
    const tokens = new ServiceTokens({ issuer, clientId: 'order', clientSecret: 'wrong', now: clock });
    const attempt = tokens.tokenFor('product');
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
    await expect(attempt).rejects.toThrow(/401 invalid_client/);
  });

  it('an answer outside the token contract is an upstream contract violation, not a token', async () => {
    const issuer: ServiceCaller = {
      async call<T>(): Promise<CallResult<T>> {
        return { status: 200, headers: {}, body: { access_token: 'x', expires_in: '300' } as T };
      },
    };
    const tokens = new ServiceTokens({ issuer, clientId: 'order', clientSecret: 's', now: clock });
    await expect(tokens.tokenFor('product')).rejects.toMatchObject({
      code: 'UPSTREAM_CONTRACT_VIOLATION',
      dependency: 'user',
    });
  });
});
