import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { uniqueEmail } from '@surge/testing';
import { call, registerAndLogin, startTestUserService, type TestUserService } from './support';

let service: TestUserService;
beforeAll(async () => {
  service = await startTestUserService();
});
afterAll(() => service.stop());

type Tokens = { accessToken: string; refreshToken: string; tokenType: string; expiresIn: number };

describe('login', () => {
  it('issues an RS256 access token with kid, sub, role, iss and aud that verifies against the JWKS', async () => {
    const email = uniqueEmail();
    const { user, tokens } = await registerAndLogin(service.url, email);
    const jwks = await call<{ keys: Array<{ kid: string; kty: string; n: string; e: string }> }>(
      service.url,
      'GET',
      '/api/auth/jwks',
    );
    const decoded = jwt.decode(tokens.accessToken, { complete: true });
    const jwk = jwks.body.keys.find((key) => key.kid === decoded?.header.kid);
    expect(decoded?.header.alg).toBe('RS256');
    expect(jwk).toBeDefined();
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: jwk!.n, e: jwk!.e }, format: 'jwk' });
    const claims = jwt.verify(tokens.accessToken, publicKey, {
      algorithms: ['RS256'],
      issuer: 'surge-user',
      audience: 'surge',
    }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: user.id, role: 'customer' });
    expect(claims.exp! - claims.iat!).toBe(900);
  });

  it('answers a wrong password and an unknown email with the same 401 INVALID_CREDENTIALS', async () => {
    const email = uniqueEmail();
    await registerAndLogin(service.url, email);
    const wrong = await call(service.url, 'POST', '/api/auth/login', {
      body: { email, password: 'not the password' },
    });
    const unknown = await call(service.url, 'POST', '/api/auth/login', {
      body: { email: uniqueEmail(), password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('logs in whatever the letter case of the email', async () => {
    const email = uniqueEmail();
    await registerAndLogin(service.url, email);
    const res = await call(service.url, 'POST', '/api/auth/login', {
      body: { email: email.toUpperCase(), password: 'correct horse battery' },
    });
    expect(res.status).toBe(200);
  });
});

describe('refresh and logout', () => {
  it('rotates the refresh token on every use', async () => {
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());
    const first = await call<Tokens>(service.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(tokens.refreshToken);
    expect(first.body.tokenType).toBe('Bearer');
    const second = await call<Tokens>(service.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(second.status).toBe(200);
  });

  it('when a rotated token is reused, answers 401 and revokes the whole family', async () => {
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());
    const rotated = await call<Tokens>(service.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    const reuse = await call(service.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('INVALID_REFRESH_TOKEN');
    // The legitimate successor is dead too: the family is revoked.
    const successor = await call(service.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: rotated.body.refreshToken },
    });
    expect(successor.status).toBe(401);
  });

  it('when two refreshes of one token race, exactly one wins', async () => {
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        call(service.url, 'POST', '/api/auth/refresh', { body: { refreshToken: tokens.refreshToken } }),
      ),
    );
    expect(results.map((res) => res.status).sort()).toEqual([200, 401, 401]);
  });

  it('after logout the refresh token no longer works, and logout answers 204 again', async () => {
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());
    const out = await call(service.url, 'POST', '/api/auth/logout', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(out.status).toBe(204);
    const again = await call(service.url, 'POST', '/api/auth/logout', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(again.status).toBe(204);
    const refresh = await call(service.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it('answers an unknown refresh token with 401 and a missing one with 400', async () => {
    expect(
      (await call(service.url, 'POST', '/api/auth/refresh', { body: { refreshToken: 'made-up' } })).status,
    ).toBe(401);
    expect((await call(service.url, 'POST', '/api/auth/refresh', { body: {} })).status).toBe(400);
  });
});
