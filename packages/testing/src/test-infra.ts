import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** Redis users with keys of their own (infra/stack/src/native/redis-acl.ts). */
export type RedisService = 'gateway' | 'user' | 'product' | 'order' | 'storefront';

/**
 * A service's own REDIS_URL (its ACL user, limited to `<service>:` keys), as the jest
 * global setup provisioned it: a service under test connects as itself, never as admin.
 */
export function testRedisUrl(service: RedisService): string {
  const variable = `SURGE_REDIS_URL_${service.toUpperCase()}`;
  const url = process.env[variable];
  if (!url)
    throw new Error(
      `${variable} is not set: run tests through \`npm test\` or \`npm run jest\` (jest global setup)`,
    );
  return url;
}

/**
 * Addresses the jest global setup put in the environment. `redisUrl` logs in as Redis's
 * admin user: for a test's own assertions, never as a service's REDIS_URL (testRedisUrl).
 */
export function testInfra(): { adminUrl: string; redisUrl: string; kafkaBrokers: string } {
  const adminUrl = process.env.SURGE_PG_ADMIN_URL;
  const redisUrl = process.env.REDIS_URL;
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  if (!adminUrl || !redisUrl || !kafkaBrokers) {
    throw new Error(
      'test infrastructure is not set up: run tests through `npm test` or `npm run jest` (jest global setup)',
    );
  }
  return { adminUrl, redisUrl, kafkaBrokers };
}

/**
 * A database of the test file's own (role with login, owner of its database), created
 * once per name. Tests inside use unique data rather than wiping tables, so the same
 * database can be reused across runs.
 */
export async function provisionTestDatabase(name: string): Promise<string> {
  const { adminUrl } = testInfra();
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`bad test database name ${name}`);
  const password = `${name}_test_pw`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Advisory lock: parallel workers provisioning the same name must not race.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
    if (role.rowCount === 0) await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (db.rowCount === 0) await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.username = name;
  url.password = password;
  url.pathname = `/${name}`;
  return url.toString();
}

/** A string unique to this call, for emails, SKUs, key prefixes and topic names. */
export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID()}@example.test`;
}

export interface ScratchDatabase {
  url: string;
  /** Drops the database (its connections are closed first). */
  drop(): Promise<void>;
}

/**
 * A database for one test file alone, dropped afterwards. For services with background
 * workers (the order recovery worker): in a shared database, every file's worker would
 * also pick up the other files' rows and act on them with the wrong test doubles.
 */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const { adminUrl } = testInfra();
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad scratch database name ${name}`);
  const owner = await provisionTestDatabase(prefix);
  const role = new URL(owner).username;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} OWNER ${role}`);
  } finally {
    await admin.end();
  }
  const url = new URL(owner);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
