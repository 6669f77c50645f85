import { createTestKeyPair, signTestToken } from '@surge/testing';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { metricValue } from './support/metrics';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';
import { tamperedToken } from './support/tokens';

/**
 * A flood of junk, forged and expired tokens from one address: the general rate limit
 * runs after verification and never sees them, so a limit of their own, checked before
 * any verification work, must meet the flood with 429.
 */
const keys = createTestKeyPair();
let stub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  stub = await startStubUpstream([keys]);
  gateway = await startTestGateway({
    USER_SERVICE_URL: stub.url,
    ORDER_SERVICE_URL: stub.url,
    RATE_LIMIT_BAD_TOKEN_MAX: '5',
    RATE_LIMIT_BAD_TOKEN_WINDOW_MS: '60000',
  });
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const expired = () => signTestToken(keys, { expiresInSeconds: -60 });

describe('a flood of bad tokens from one address', () => {
  it('is answered 401 up to the limit, then 429 with Retry-After, even for a valid token', async () => {
    // Verified (and remembered by the gateway) before the flood: from then on its address's
    // check and its own limit are settled in one Redis round trip, with the same outcome.
    const known = signTestToken(keys, { userId: 'flood-known-user' });
    expect((await send(gateway.url, '/api/orders', { headers: bearer(known) })).status).toBe(200);
    const flood = [
      'junk',
      'a.b.c',
      tamperedToken(keys),
      signTestToken(createTestKeyPair()),
      expired(),
      'junk-again',
      tamperedToken(keys),
    ];
    const statuses: number[] = [];
    for (const token of flood)
      statuses.push((await send(gateway.url, '/api/orders', { headers: bearer(token) })).status);
    const valid = await send(gateway.url, '/api/orders', { headers: bearer(signTestToken(keys)) });
    const knownAfter = await send(gateway.url, '/api/orders', { headers: bearer(known) });

    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // A valid token is refused too: the gateway did not read it (no verification work).
    expect(valid.status).toBe(429);
    expect(Number(valid.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(valid.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(knownAfter.status).toBe(429);
    expect(Number(knownAfter.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(knownAfter.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await metricValue(gateway.adminUrl, 'gateway_token_failure_refusals_total')).toBe(4);
  });

  it('leaves requests without a token to the anonymous limit', async () => {
    const answer = await send(gateway.url, '/api/auth/echo');

    expect(answer.status).toBe(200);
  });
});
