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
 * Applies pending SQL migrations at start. node-pg-migrate takes a Postgres advisory
 * lock, so several instances starting at once apply each migration exactly once.
 */
export async function runMigrations(options: MigrateOptions): Promise<string[]> {
  const applied = await runner({
    databaseUrl: options.databaseUrl,
    dir: options.dir,
    direction: 'up',
    migrationsTable: options.table ?? 'schema_migrations',
    checkOrder: true,
    singleTransaction: true,
    log: () => undefined,
  });
  const names = applied.map((migration) => migration.name);
  if (names.length > 0) options.logger.info({ migrations: names }, 'migrations applied');
  return names;
}
