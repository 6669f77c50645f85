import type pg from 'pg';

import { withClient } from './postgres';

/** Suffix of every service role's development password: `<role>` + this. Never use in production. */
export const DEV_PASSWORD_SUFFIX = '-dev-password';

export function devPassword(role: string): string {
  return `${role}${DEV_PASSWORD_SUFFIX}`;
}

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Gives one service its own role and database: role `<name>` (LOGIN, password
 * `<name>-dev-password`), database `<name>` owned by it, and CONNECT revoked from PUBLIC,
 * so no other service's role can open it. Safe to run again and concurrently (a second
 * run resets the password and ownership). Returns the service's connection URL.
 */
export async function provisionDatabase(adminUrl: string, name: string): Promise<string> {
  if (!NAME.test(name))
    throw new Error(`invalid database/role name ${JSON.stringify(name)}: use [a-z_][a-z0-9_]*`);
  const password = devPassword(name);
  await withClient(
    adminUrl,
    async (client) => {
      // Catalog updates from two provisioners at once fail with "tuple concurrently
      // updated" (e.g. two ALTER ROLE); a session advisory lock queues them. Closing the
      // connection releases it.
      await client.query(`SELECT pg_advisory_lock(hashtext('surge.provisionDatabase'))`);
      const ident = `"${name}"`;
      const pw = client.escapeLiteral(password);
      const roleExists = await exists(client, 'SELECT 1 FROM pg_roles WHERE rolname = $1', name);
      if (!roleExists)
        await tolerateDuplicate(() => client.query(`CREATE ROLE ${ident} LOGIN PASSWORD ${pw}`));
      await client.query(`ALTER ROLE ${ident} LOGIN PASSWORD ${pw}`);
      const dbExists = await exists(client, 'SELECT 1 FROM pg_database WHERE datname = $1', name);
      // CREATE DATABASE cannot run in a transaction block; pg sends each query on its own.
      if (!dbExists) await tolerateDuplicate(() => client.query(`CREATE DATABASE ${ident} OWNER ${ident}`));
      await client.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);
      await client.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
      await client.query(`GRANT ALL ON DATABASE ${ident} TO ${ident}`);
    },
    10_000,
  );
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(name);
  url.password = encodeURIComponent(password);
  url.pathname = `/${name}`;
  return url.toString();
}

async function exists(client: pg.Client, sql: string, value: string): Promise<boolean> {
  const res = await client.query(sql, [value]);
  return (res.rowCount ?? 0) > 0;
}

/** Two processes provisioning at once: the loser's CREATE fails with "already exists". */
async function tolerateDuplicate(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 42710 duplicate_object (role), 42P04 duplicate_database, 23505 catalog unique violation.
    if (code !== '42710' && code !== '42P04' && code !== '23505') throw err;
  }
}
