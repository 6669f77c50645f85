import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { createTestKeyPair, signTestToken, uniqueEmail } from '@surge/testing';
import { call, registerAndLogin, startTestUserService, type TestUserService } from './support';

let service: TestUserService;
beforeAll(async () => {
  service = await startTestUserService();
});
afterAll(() => service.stop());

describe('GET and PATCH /api/users/me', () => {
  it('returns the caller profile with preferences', async () => {
    const email = uniqueEmail();
    const { user, tokens } = await registerAndLogin(service.url, email);
    const res = await call(service.url, 'GET', '/api/users/me', { token: tokens.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: user.id,
      email,
      name: 'Test User',
      role: 'customer',
      preferences: {},
      createdAt: user.createdAt,
    });
  });

  it('updates name and preferences, and the next read sees them (cache invalidated)', async () => {
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());
    await call(service.url, 'GET', '/api/users/me', { token: tokens.accessToken }); // fills the cache
    const patch = await call(service.url, 'PATCH', '/api/users/me', {
      token: tokens.accessToken,
      body: { name: 'Renamed', preferences: { newsletter: true, currency: 'USD' } },
    });
    expect(patch.status).toBe(200);
    const read = await call(service.url, 'GET', '/api/users/me', { token: tokens.accessToken });
    expect(read.body).toMatchObject({ name: 'Renamed', preferences: { newsletter: true, currency: 'USD' } });
  });

  it('rejects an empty patch and a role change with 400', async () => {
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());
    expect(
      (await call(service.url, 'PATCH', '/api/users/me', { token: tokens.accessToken, body: {} })).status,
    ).toBe(400);
    expect(
      (
        await call(service.url, 'PATCH', '/api/users/me', {
          token: tokens.accessToken,
          body: { role: 'admin' },
        })
      ).status,
    ).toBe(400);
  });

  it('answers 401 without a token', async () => {
    const res = await call(service.url, 'GET', '/api/users/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
  });

  describe('token attacks answer 401', () => {
    let token: string;
    beforeAll(async () => {
      token = (await registerAndLogin(service.url, uniqueEmail())).tokens.accessToken;
    });
    const jwksKey = async () => {
      const jwks = await call<{ keys: Array<{ kty: string; n: string; e: string }> }>(
        service.url,
        'GET',
        '/api/auth/jwks',
      );
      return createPublicKey({ key: jwks.body.keys[0]!, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
    };
    /** Signs with the service's own development key, so only the claim under test is wrong. */
    const signWithServiceKey = async (options: Parameters<typeof signTestToken>[1]) => {
      const pem = readFileSync(path.join(service.config.DEV_KEYS_DIR, 'signing-key.pem'), 'utf8');
      const privateKey = createPrivateKey(pem);
      const { kid } = jwt.decode(token, { complete: true })!.header;
      return signTestToken({ kid: kid!, privateKey, publicKey: createPublicKey(privateKey) }, options);
    };
    const cases: Array<[string, () => Promise<string>]> = [
      [
        'alg none',
        async () =>
          jwt.sign(jwt.decode(token) as object, '', {
            algorithm: 'none',
            header: { alg: 'none', kid: jwt.decode(token, { complete: true })!.header.kid! } as jwt.JwtHeader,
          }),
      ],
      [
        'HS256 signed with the public key',
        async () => {
          const { kid } = jwt.decode(token, { complete: true })!.header;
          const payload = { ...(jwt.decode(token) as object) };
          const [h, p] = [
            Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid })).toString('base64url'),
            Buffer.from(JSON.stringify(payload)).toString('base64url'),
          ];
          const { createHmac } = await import('node:crypto');
          return `${h}.${p}.${createHmac('sha256', await jwksKey())
            .update(`${h}.${p}`)
            .digest('base64url')}`;
        },
      ],
      [
        'a tampered payload',
        async () => {
          const [h, p, s] = token.split('.');
          const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
          return `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
        },
      ],
      ['a token signed by an unknown key', async () => signTestToken(createTestKeyPair())],
      ['an expired token signed by the real key', async () => signWithServiceKey({ expiresInSeconds: -60 })],
      ['a token for another audience', async () => signWithServiceKey({ audience: 'someone-else' })],
      ['a token from another issuer', async () => signWithServiceKey({ issuer: 'evil-issuer' })],
      ['garbage', async () => 'not.a.jwt'],
    ];
    it.each(cases)('%s', async (_label, make) => {
      const res = await call(service.url, 'GET', '/api/users/me', { token: await make() });
      expect(res.status).toBe(401);
      expect(['INVALID_TOKEN', 'TOKEN_EXPIRED']).toContain(res.body.code);
    });
  });
});

describe('operations endpoints', () => {
  it('reports live, ready with its dependencies, and Prometheus metrics', async () => {
    expect((await call(service.url, 'GET', '/health/live')).status).toBe(200);
    expect((await call(service.url, 'GET', '/health/ready')).body).toEqual({ status: 'up' });
    const ready = await call(service.adminUrl, 'GET', '/health/ready');
    expect(ready.body).toEqual({
      status: 'up',
      shuttingDown: false,
      checks: { postgres: 'up', redis: 'up' },
    });
    const metrics = await fetch(`${service.adminUrl}/metrics`).then((res) => res.text());
    expect(metrics).toMatch(/http_requests_total\{.*route="\/health\/ready".*\} \d+/);
    // Routes under a mounted router keep their full template (not just "/me").
    expect(metrics).toMatch(/http_requests_total\{.*route="\/api\/users\/me".*\} \d+/);
  });
});
