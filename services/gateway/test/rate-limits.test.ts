import { randomUUID } from 'node:crypto';
import { createTestKeyPair, signTestToken } from '@surge/testing';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send, type Answer } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

const keys = createTestKeyPair();
let stub: StubUpstream;
let gateway: TestGateway;
let secondGateway: TestGateway;

// Windows of a minute so that no window resets in the middle of a test.
const limits = {
  RATE_LIMIT_CREDENTIALS_MAX: '3',
  RATE_LIMIT_CREDENTIALS_WINDOW_MS: '60000',
  RATE_LIMIT_IP_MAX: '5',
  RATE_LIMIT_IP_WINDOW_MS: '60000',
  RATE_LIMIT_USER_MAX: '4',
  RATE_LIMIT_USER_WINDOW_MS: '60000',
  // Trust one proxy hop so each test can speak from a client address of its own.
  TRUST_PROXY_HOPS: '1',
};

beforeAll(async () => {
  stub = await startStubUpstream([keys]);
  gateway = await startTestGateway({
    USER_SERVICE_URL: stub.url,
    PRODUCT_SERVICE_URL: stub.url,
    ORDER_SERVICE_URL: stub.url,
    ...limits,
  });
  // A second replica sharing the first one's counters, as replicas share one Redis.
  secondGateway = await startTestGateway({
    USER_SERVICE_URL: stub.url,
    PRODUCT_SERVICE_URL: stub.url,
    ...limits,
    RATE_LIMIT_KEY_PREFIX: gateway.keyPrefix,
  });
});

afterAll(async () => {
  await secondGateway.stop();
  await gateway.stop();
  await stub.close();
});

let nextAddress = 1;
const uniqueClientIp = () => `198.51.100.${nextAddress++}`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });
const login = (baseUrl: string, ip: string, path = '/api/auth/login') =>
  send(baseUrl, path, {
    method: 'POST',
    headers: { ...from(ip), 'content-type': 'application/json' },
    body: '{"email":"a@b.c","password":"x"}',
  });

async function times(count: number, request: () => Promise<Answer>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await request()).status);
  return statuses;
}

describe('the login limit per client IP', () => {
  it('answers 429 RATE_LIMITED with Retry-After once the attempts are used up', async () => {
    const ip = uniqueClientIp();
    const before = stub.requestsTo('/api/auth/login').length;

    const statuses = await times(3, () => login(gateway.url, ip));
    const refused = await login(gateway.url, ip);

    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(stub.requestsTo('/api/auth/login').length - before).toBe(3);
  });

  it('counts register and other spellings of login against the same limit', async () => {
    const ip = uniqueClientIp();

    await login(gateway.url, ip, '/api/auth/register');
    await login(gateway.url, ip, '/api/auth/LOGIN/');
    await login(gateway.url, ip, '/api/auth/l%6Fgin');
    const refused = await login(gateway.url, ip);

    expect(refused.status).toBe(429);
  });

  it('leaves other client addresses alone', async () => {
    const noisy = uniqueClientIp();
    await times(4, () => login(gateway.url, noisy));

    const answer = await login(gateway.url, uniqueClientIp());

    expect(answer.status).toBe(200);
  });

  it('holds across gateway replicas that share Redis', async () => {
    const ip = uniqueClientIp();

    const statuses = [
      (await login(gateway.url, ip)).status,
      (await login(secondGateway.url, ip)).status,
      (await login(gateway.url, ip)).status,
      (await login(secondGateway.url, ip)).status,
    ];

    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('the general limits', () => {
  it('limits an authenticated user by user id, whatever address they come from', async () => {
    const token = signTestToken(keys, { userId: randomUUID() });
    const asUser = () =>
      send(gateway.url, '/api/orders', {
        headers: { authorization: `Bearer ${token}`, ...from(uniqueClientIp()) },
      });

    const statuses = await times(4, asUser);
    const refused = await asUser();

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('gives another user behind the same address a budget of their own', async () => {
    const ip = uniqueClientIp();
    const first = signTestToken(keys, { userId: randomUUID() });
    const second = signTestToken(keys, { userId: randomUUID() });
    await times(5, () =>
      send(gateway.url, '/api/orders', { headers: { authorization: `Bearer ${first}`, ...from(ip) } }),
    );

    const answer = await send(gateway.url, '/api/orders', {
      headers: { authorization: `Bearer ${second}`, ...from(ip) },
    });

    expect(answer.status).toBe(200);
  });

  it('limits anonymous traffic by client address', async () => {
    const ip = uniqueClientIp();
    const browse = () => send(gateway.url, '/api/products', { headers: from(ip) });

    const statuses = await times(5, browse);
    const refused = await browse();

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(refused.status).toBe(429);
  });

  it('counts refusals by policy on /metrics', async () => {
    const metrics = await send(gateway.adminUrl, '/metrics');

    expect(metrics.text).toMatch(/ratelimit_rejections_total\{[^}]*policy="credentials"[^}]*\} [1-9]/);
    expect(metrics.text).toMatch(/ratelimit_rejections_total\{[^}]*policy="user"[^}]*\} [1-9]/);
    expect(metrics.text).toMatch(/ratelimit_rejections_total\{[^}]*policy="ip"[^}]*\} [1-9]/);
  });
});
