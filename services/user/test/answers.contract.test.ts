import { expectPublicContract, uniqueEmail } from '@surge/testing';
import { call, startTestUserService, type TestUserService } from './support';

/**
 * The auth and profile routes answer what the public contract (packages/contracts/src/public,
 * the generated OpenAPI document) says: every status documented, every body of the
 * documented shape, every error code listed for its status.
 */
let service: TestUserService;
beforeAll(async () => {
  service = await startTestUserService();
});
afterAll(() => service.stop());

describe('auth and profile answer by the contract', () => {
  it('register, a taken email, a bad body and malformed JSON', async () => {
    const email = uniqueEmail('contract');
    const body = { email, password: 'correct horse battery', name: 'Contract Tester' };

    expectPublicContract('register', await call(service.url, 'POST', '/api/auth/register', { body }), 201);
    expectPublicContract('register', await call(service.url, 'POST', '/api/auth/register', { body }), 409);
    expectPublicContract(
      'register',
      await call(service.url, 'POST', '/api/auth/register', { body: { ...body, extra: 1 } }),
      400,
    );
    expectPublicContract(
      'register',
      await call(service.url, 'POST', '/api/auth/register', {
        raw: '{"email":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
    );
  });

  it('login, refresh, logout, keys and the profile', async () => {
    const email = uniqueEmail('contract');
    const password = 'correct horse battery';
    await call(service.url, 'POST', '/api/auth/register', { body: { email, password, name: 'Contract' } });

    const login = await call<{ accessToken: string; refreshToken: string }>(
      service.url,
      'POST',
      '/api/auth/login',
      {
        body: { email, password },
      },
    );
    expectPublicContract('login', login, 200);
    expectPublicContract(
      'login',
      await call(service.url, 'POST', '/api/auth/login', { body: { email, password: 'wrong password' } }),
      401,
    );
    const refreshed = await call(service.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expectPublicContract('refresh', refreshed, 200);
    expectPublicContract(
      'refresh',
      await call(service.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: login.body.refreshToken },
      }),
      401,
    );
    expectPublicContract('getJwks', await call(service.url, 'GET', '/api/auth/jwks'), 200);

    const token = (refreshed.body as { accessToken: string }).accessToken;
    expectPublicContract('getMe', await call(service.url, 'GET', '/api/users/me', { token }), 200);
    expectPublicContract('getMe', await call(service.url, 'GET', '/api/users/me'), 401);
    expectPublicContract(
      'updateMe',
      await call(service.url, 'PATCH', '/api/users/me', {
        token,
        body: { preferences: { newsletter: true } },
      }),
      200,
    );
    expectPublicContract(
      'updateMe',
      await call(service.url, 'PATCH', '/api/users/me', { token, body: {} }),
      400,
    );
    expectPublicContract(
      'logout',
      await call(service.url, 'POST', '/api/auth/logout', {
        body: { refreshToken: (refreshed.body as { refreshToken: string }).refreshToken },
      }),
      204,
    );
  });
});
