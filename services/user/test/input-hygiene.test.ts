import { uniqueEmail } from '@surge/testing';
import { call, registerAndLogin, startTestUserService, type TestUserService } from './support';

/**
 * Names end up in emails, logs and admin screens: Unicode format characters (a
 * right-to-left override, zero-width ones) make them read differently from what is
 * stored. JSON keys that are not data in JavaScript (`__proto__`, `constructor`,
 * `prototype`) are refused at any depth.
 */
let service: TestUserService;
beforeAll(async () => {
  service = await startTestUserService();
});
afterAll(() => service.stop());

const patchMe = (token: string, body: string) =>
  fetch(`${service.url}/api/users/me`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });

describe('names', () => {
  it.each([
    ['a right-to-left override', 'Ada \u202Egnp.exe'],
    ['a zero-width space', 'Ada\u200BLovelace'],
    ['a zero-width joiner', 'Ada\u200DLovelace'],
    ['a zero-width no-break space (BOM)', 'Ada\uFEFFLovelace'],
    ['a control character', 'Ada\u0007'],
  ])('refuse %s at registration and on update', async (_label, name) => {
    const registered = await call(service.url, 'POST', '/api/auth/register', {
      body: { email: uniqueEmail(), password: 'long enough pw', name },
    });
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());
    const updated = await patchMe(tokens.accessToken, JSON.stringify({ name }));

    expect(registered.status).toBe(400);
    expect(updated.status).toBe(400);
  });

  it('keep letters of every script', async () => {
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());
    const updated = await patchMe(tokens.accessToken, JSON.stringify({ name: 'Zoë Åström-李 أحمد' }));

    expect(updated.status).toBe(200);
  });
});

describe('preferences', () => {
  it.each([
    '{"preferences":{"__proto__":{"admin":true}}}',
    '{"preferences":{"constructor":"x"}}',
    '{"preferences":{"prototype":1}}',
    '{"name":"Ada","deep":{"a":[{"__proto__":{}}]}}',
  ])('refuse a reserved key: %s', async (body) => {
    const { tokens } = await registerAndLogin(service.url, uniqueEmail());

    const res = await patchMe(tokens.accessToken, body);

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const me = await call(service.url, 'GET', '/api/users/me', { token: tokens.accessToken });
    expect(me.body.preferences).toEqual({});
  });
});
