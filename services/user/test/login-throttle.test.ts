import { Client } from 'pg';
import { uniqueEmail } from '@surge/testing';
import { call, startTestUserService, type TestUserService } from './support';

/**
 * Credential stuffing against one account, from inside the network: the gateway's
 * per-IP limit does not see 40 guesses from 40 addresses, so the user service throttles
 * per account. X-Forwarded-For is what the gateway writes: the address it saw.
 */
const BACKOFF_BASE_MS = 30_000;
let service: TestUserService;
beforeAll(async () => {
  service = await startTestUserService({
    LOGIN_ACCOUNT_FAILURE_CAP: '20',
    LOGIN_FREE_FAILURES: '5',
    // Production's first back-off is 1 s: a loaded machine could let it pass between two
    // attempts of a test, which would then see 401 where the back-off answers 429.
    LOGIN_BACKOFF_BASE_MS: String(BACKOFF_BASE_MS),
  });
});
afterAll(() => service.stop());

const password = 'correct horse battery';
const login = (email: string, from: string, pw = 'wrong password') =>
  call(service.url, 'POST', '/api/auth/login', {
    body: { email, password: pw },
    headers: { 'x-forwarded-for': from },
  });

async function register(): Promise<string> {
  const email = uniqueEmail();
  const res = await call(service.url, 'POST', '/api/auth/register', {
    body: { email, password, name: 'Victim' },
  });
  expect(res.status).toBe(201);
  return email;
}

describe('per-account login throttling', () => {
  it('meets 40 wrong passwords from 40 networks with 429 once the account cap is reached', async () => {
    const email = await register();
    const answers = [];
    for (let i = 0; i < 40; i += 1) answers.push(await login(email, `198.51.${i}.7`));
    const statuses = answers.map((answer) => answer.status);

    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(20).fill(429));
    expect(Number(answers[39]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers[39]?.body).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('still lets the owner sign in from a network they used before, while the account is under attack', async () => {
    const email = await register();
    expect((await login(email, '192.0.2.44', password)).status).toBe(200);
    for (let i = 0; i < 25; i += 1) await login(email, `203.0.${i}.9`);

    const owner = await login(email, '192.0.2.80', password);
    const stranger = await login(email, '198.18.0.1', password);

    expect(owner.status).toBe(200);
    // A network the account never used waits for the window, even with the right password.
    expect(stranger.status).toBe(429);
  });

  it('backs off one network after its free failures, without checking the password', async () => {
    const email = await register();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await login(email, '100.64.1.10')).status);
    const rightPassword = await login(email, '100.64.1.99', password);

    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    // The same /24: refused even with the right password, for at most the back-off.
    expect(rightPassword.status).toBe(429);
    expect(Number(rightPassword.headers.get('retry-after'))).toBeLessThanOrEqual(
      2 * (BACKOFF_BASE_MS / 1000),
    );
  });

  it('throttles unknown emails the same way, so 429 does not reveal accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await login(uniqueEmail('nobody'), '100.64.2.1')).status);
    const email = uniqueEmail('nobody');
    for (let i = 0; i < 5; i += 1) await login(email, '100.64.3.1');

    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    expect((await login(email, '100.64.3.1')).status).toBe(429);
  });
});

describe('when Redis is down', () => {
  it('fails closed: login answers 503 with Retry-After, and checks no password', async () => {
    const down = await startTestUserService({ REDIS_URL: 'redis://127.0.0.1:9' });
    try {
      const res = await call(down.url, 'POST', '/api/auth/login', {
        body: { email: uniqueEmail(), password },
      });

      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      await down.stop();
    }
  });
});

describe('password hashes of an older cost', () => {
  it('are replaced at the current cost on the next successful login', async () => {
    const email = await register();
    const stronger = await startTestUserService({
      DATABASE_URL: service.config.DATABASE_URL,
      PASSWORD_HASH_COST: '13',
    });
    const db = new Client({ connectionString: service.config.DATABASE_URL });
    await db.connect();
    const hashOf = async () =>
      String(
        (await db.query('SELECT password_hash FROM users WHERE email = $1', [email])).rows[0]?.password_hash,
      );
    try {
      const before = await hashOf();
      const res = await call(stronger.url, 'POST', '/api/auth/login', { body: { email, password } });
      const after = await hashOf();
      const again = await call(stronger.url, 'POST', '/api/auth/login', { body: { email, password } });

      expect(before).toMatch(/^scrypt\$4096\$8\$1\$/);
      expect(res.status).toBe(200);
      expect(after).toMatch(/^scrypt\$8192\$8\$1\$/);
      expect(again.status).toBe(200);
    } finally {
      await db.end();
      await stronger.stop();
    }
  });
});
