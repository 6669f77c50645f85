import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createScratchDatabase, type ScratchDatabase } from '@surge/testing';
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } from '../src/config';
import { call, productionRedisUrl, startTestUserService } from './support';

/**
 * The admin the configuration names is the admin that logs in: a changed ADMIN_PASSWORD
 * takes at the next start (the seed used to do nothing when the account existed, so the
 * old password kept working and the new one did not), and production refuses to start
 * while the development admin's password still opens an account.
 */
describe('the configured admin', () => {
  // A database of its own: the development admin's address is global, not unique per test.
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase('surge_user_seed');
  });
  afterAll(async () => {
    await db.drop();
  });

  const UNSET = undefined as unknown as string;

  async function startWith(env: Record<string, string>) {
    return startTestUserService({ DATABASE_URL: db.url, ...env });
  }

  async function loginStatus(url: string, email: string, password: string): Promise<number> {
    return (await call(url, 'POST', '/api/auth/login', { body: { email, password } })).status;
  }

  it('when ADMIN_PASSWORD changes, the next start logs the admin in with the new password only', async () => {
    const email = 'ops-admin@example.test';
    const first = await startWith({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'the first password' });
    expect(await loginStatus(first.url, email, 'the first password')).toBe(200);
    await first.stop();

    const second = await startWith({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'the second password' });
    try {
      expect(await loginStatus(second.url, email, 'the second password')).toBe(200);
      expect(await loginStatus(second.url, email, 'the first password')).toBe(401);
      const me = await call<{ accessToken: string }>(second.url, 'POST', '/api/auth/login', {
        body: { email, password: 'the second password' },
      });
      const profile = await call<{ role: string }>(second.url, 'GET', '/api/users/me', {
        headers: { authorization: `Bearer ${me.body.accessToken}` },
      });
      expect(profile.body.role).toBe('admin');
    } finally {
      await second.stop();
    }
  });

  describe('in production', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const production = {
      NODE_ENV: 'production',
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      FAULT_INJECTION: 'false',
      // Production refuses the development Redis password, as it should.
      REDIS_URL: '',
      // Production refuses the development Kafka password too; these starts need no broker
      // (undefined: as if the variables were not set at all).
      KAFKA_BROKERS: UNSET,
      KAFKA_SASL_USERNAME: UNSET,
      KAFKA_SASL_PASSWORD: UNSET,
      // Production needs its service clients too (service tokens, docs/security.md).
      SERVICE_CLIENT_SECRETS: `order=${randomBytes(24).toString('base64url')}`,
    };
    beforeAll(async () => {
      production.REDIS_URL = await productionRedisUrl();
    });

    it('refuses to start while the development admin still logs in with the development password', async () => {
      const dev = await startWith({ ADMIN_EMAIL: DEV_ADMIN_EMAIL, ADMIN_PASSWORD: DEV_ADMIN_PASSWORD });
      await dev.stop();

      await expect(
        startWith({
          ...production,
          ADMIN_EMAIL: 'owner@example.test',
          ADMIN_PASSWORD: 'a production password',
        }),
      ).rejects.toThrow(/development admin .*admin@surge\.local.* development password/);
    });

    it('starts once the configured credentials replaced the development password', async () => {
      const dev = await startWith({ ADMIN_EMAIL: DEV_ADMIN_EMAIL, ADMIN_PASSWORD: DEV_ADMIN_PASSWORD });
      await dev.stop();

      const prod = await startWith({
        ...production,
        ADMIN_EMAIL: DEV_ADMIN_EMAIL,
        ADMIN_PASSWORD: 'a production password',
      });
      try {
        expect(await loginStatus(prod.url, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)).toBe(401);
        expect(await loginStatus(prod.url, DEV_ADMIN_EMAIL, 'a production password')).toBe(200);
      } finally {
        await prod.stop();
      }
    });
  });
});
