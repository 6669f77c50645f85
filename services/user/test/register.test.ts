import { Client } from 'pg';
import { uniqueEmail } from '@surge/testing';
import { call, startTestUserService, type TestUserService } from './support';

let service: TestUserService;
beforeAll(async () => {
  service = await startTestUserService();
});
afterAll(() => service.stop());

describe('POST /api/auth/register', () => {
  it('creates a customer and answers 201 with the contract fields only', async () => {
    const email = uniqueEmail();
    const res = await call(service.url, 'POST', '/api/auth/register', {
      body: { email, password: 'long enough pw', name: 'Ada' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email,
      name: 'Ada',
      role: 'customer',
      createdAt: expect.any(String),
    });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('writes user.registered to the outbox in the same transaction as the user', async () => {
    const email = uniqueEmail();
    const res = await call(service.url, 'POST', '/api/auth/register', {
      body: { email, password: 'long enough pw', name: 'Bo' },
    });
    const db = new Client({ connectionString: service.config.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query(
      "SELECT topic, message_key, data FROM outbox WHERE event_type = 'user.registered' AND message_key = $1",
      [res.body.id],
    );
    await db.end();
    expect(rows).toEqual([
      {
        topic: 'users',
        message_key: res.body.id,
        data: { userId: res.body.id, email, name: 'Bo', version: 1 },
      },
    ]);
  });

  it('when the email is taken in any letter case, answers 409 EMAIL_TAKEN', async () => {
    const email = uniqueEmail();
    await call(service.url, 'POST', '/api/auth/register', {
      body: { email, password: 'long enough pw', name: 'One' },
    });
    const res = await call(service.url, 'POST', '/api/auth/register', {
      body: { email: email.toUpperCase(), password: 'long enough pw', name: 'Two' },
    });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 409, code: 'EMAIL_TAKEN', requestId: expect.any(String) });
  });

  it.each([
    ['a missing field', { email: uniqueEmail(), password: 'long enough pw' }, 'name'],
    ['a wrong type', { email: uniqueEmail(), password: 12345678, name: 'x' }, 'password'],
    ['a short password', { email: uniqueEmail(), password: 'short', name: 'x' }, 'password'],
    [
      'a password over 128 characters',
      { email: uniqueEmail(), password: 'p'.repeat(129), name: 'x' },
      'password',
    ],
    ['an invalid email', { email: 'not-an-email', password: 'long enough pw', name: 'x' }, 'email'],
    [
      'an email whose local part is over 64 characters',
      { email: `${'a'.repeat(65)}@example.com`, password: 'long enough pw', name: 'x' },
      'email',
    ],
    [
      'a name with control characters',
      { email: uniqueEmail(), password: 'long enough pw', name: 'evil\u0000name' },
      'name',
    ],
    [
      'an unknown field',
      { email: uniqueEmail(), password: 'long enough pw', name: 'x', role: 'admin' },
      '(root)',
    ],
  ])('with %s, answers 400 VALIDATION_FAILED naming the field', async (_label, body, field) => {
    const res = await call<{ code: string; errors: Array<{ path: string }> }>(
      service.url,
      'POST',
      '/api/auth/register',
      { body },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((error) => error.path)).toContain(field);
  });

  it('stores hostile strings literally and never answers 500', async () => {
    const name = "Robert'); DROP TABLE users;-- <script>alert(1)</script>";
    const res = await call(service.url, 'POST', '/api/auth/register', {
      body: { email: uniqueEmail(), password: 'long enough pw', name },
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(name);
  });

  it('answers 400 MALFORMED_JSON for a body that is not JSON, without a stack trace', async () => {
    const res = await call(service.url, 'POST', '/api/auth/register', {
      raw: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_JSON', type: '/problems/malformed-json' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('answers 415 for a body that is not JSON by content type', async () => {
    const res = await call(service.url, 'POST', '/api/auth/register', {
      raw: 'email=a@b.c',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for a body over 1 MB', async () => {
    const res = await call(service.url, 'POST', '/api/auth/register', {
      body: { email: uniqueEmail(), password: 'long enough pw', name: 'x'.repeat(1_100_000) },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await call(service.url, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
