import { Client } from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from '@surge/logger';

export interface MigrateOptions {
  databaseUrl: string;
  /** Folder of `NNNN_name.sql` files with `-- Up Migration` / `-- Down Migration` sections. */
  dir: string;
  logger: Logger;
  /** Bookkeeping table; shared packages (the outbox) keep their own. */
  table?: string;
}

/**
 * Applies pending SQL migrations at start. Several instances (replicas, parallel test
 * files) start at once, and node-pg-migrate's own lock only *tries* and fails the
 * loser, so we wait on a blocking advisory lock of our own on a dedicated connection
 * and run the migrations on that same connection: each migration is applied exactly
 * once, and every instance starts.
 */
export async function runMigrations(options: MigrateOptions): Promise<string[]> {
  const table = options.table ?? 'schema_migrations';
  const client = new Client({ connectionString: options.databaseUrl, application_name: 'migrations' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`surge-migrations:${table}`]);
    const applied = await runner({
      dbClient: client,
      dir: options.dir,
      direction: 'up',
      migrationsTable: table,
      checkOrder: true,
      singleTransaction: true,
      noLock: true,
      log: () => undefined,
    });
    const names = applied.map((migration) => migration.name);
    if (names.length > 0) options.logger.info({ migrations: names, table }, 'migrations applied');
    return names;
  } finally {
    // Ending the session releases the advisory lock too, even if the unlock is skipped.
    await client.end().catch(() => undefined);
  }
}
