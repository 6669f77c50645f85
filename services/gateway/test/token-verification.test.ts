import { randomUUID } from 'node:crypto';
import { createTestKeyPair, signTestServiceToken, signTestToken } from '@surge/testing';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';
import { hs256WithPublicKey, tamperedToken, tokenWithoutExpiry, unsignedToken } from './support/tokens';

const keys = createTestKeyPair();
const strangerKeys = createTestKeyPair();
let stub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  stub = await startStubUpstream([keys]);
  gateway = await startTestGateway({
    USER_SERVICE_URL: stub.url,
    PRODUCT_SERVICE_URL: stub.url,
    ORDER_SERVICE_URL: stub.url,
    // Every bad token here counts against 127.0.0.1; the flood limit has its own test.
    RATE_LIMIT_BAD_TOKEN_MAX: '1000',
  });
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('protected routes', () => {
  it('answers 401 without calling the service when no token is sent', async () => {
    const before = stub.requestsTo('/api/users').length;

    const answer = await send(gateway.url, '/api/users/me');

    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json()).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(stub.requestsTo('/api/users')).toHaveLength(before);
  });

  it("passes a valid token through with the gateway's request id", async () => {
    const token = signTestToken(keys);

    const answer = await send(gateway.url, '/api/users/me', {
      headers: { ...bearer(token), 'x-request-id': 'valid-token-req' },
    });

    expect(answer.status).toBe(200);
    expect(answer.headers['x-request-id']).toBe('valid-token-req');
    const seen = answer.json<{ headers: Record<string, string> }>().headers;
    expect(seen['authorization']).toBe(`Bearer ${token}`);
    expect(seen['x-request-id']).toBe('valid-token-req');
  });

  it("writes the verified user id into the request's access log line", async () => {
    const userId = randomUUID();

    await send(gateway.url, '/api/orders', {
      headers: { ...bearer(signTestToken(keys, { userId })), 'x-request-id': 'log-line-req' },
    });

    const line = gateway.logs.find((entry) => entry.msg === 'request' && entry.requestId === 'log-line-req');
    expect(line).toMatchObject({ userId, status: 200, method: 'GET', path: '/api/orders' });
  });

  it('requires a token to change the catalog but not to read it', async () => {
    const read = await send(gateway.url, '/api/products');
    const write = await send(gateway.url, '/api/products', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

    expect(read.status).toBe(200);
    expect(write.status).toBe(401);
  });
});

describe('forged and broken tokens', () => {
  it.each([
    ['alg none', () => unsignedToken(keys), 'INVALID_TOKEN'],
    ['HS256 signed with the RSA public key as the secret', () => hs256WithPublicKey(keys), 'INVALID_TOKEN'],
    ['a payload changed after signing', () => tamperedToken(keys), 'INVALID_TOKEN'],
    ['an expired token', () => signTestToken(keys, { expiresInSeconds: -120 }), 'TOKEN_EXPIRED'],
    ['a genuinely signed token without exp', () => tokenWithoutExpiry(keys), 'INVALID_TOKEN'],
    ['an unknown kid', () => signTestToken(strangerKeys), 'INVALID_TOKEN'],
    ['the wrong audience', () => signTestToken(keys, { audience: 'someone-else' }), 'INVALID_TOKEN'],
    ['the wrong issuer', () => signTestToken(keys, { issuer: 'evil-issuer' }), 'INVALID_TOKEN'],
    ['garbage', () => 'not.a.jwt', 'INVALID_TOKEN'],
  ])('answers 401 for %s on a protected route', async (_name, forge, code) => {
    const before = stub.requestsTo('/api/users').length;

    const answer = await send(gateway.url, '/api/users/me', { headers: bearer(forge()) });

    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ status: 401, code });
    expect(stub.requestsTo('/api/users')).toHaveLength(before);
  });

  it('answers 401 for a bad token even on a public route', async () => {
    const answer = await send(gateway.url, '/api/products', { headers: bearer(tamperedToken(keys)) });

    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('answers 401 for a service token, even one minted for the users audience', async () => {
    const before = stub.requestsTo('/api/users').length;
    const token = signTestServiceToken(keys, { service: 'order', audience: 'surge' });

    const answer = await send(gateway.url, '/api/users/me', { headers: bearer(token) });

    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(stub.requestsTo('/api/users')).toHaveLength(before);
  });

  it('answers 401 for an Authorization header that is not a bearer token', async () => {
    const answer = await send(gateway.url, '/api/auth/login', {
      method: 'POST',
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });

    expect(answer.status).toBe(401);
  });
});
