import type { Logger } from '@surge/logger';

/**
 * A service's own migrations, then (when it publishes or consumes events) the outbox and
 * inbox tables of @surge/messaging, tracked in a table of their own so the two sets never
 * collide on a version number.
 */
export async function migrateServiceDatabase(options: {
  databaseUrl: string;
  migrationsDir: string;
  messaging?: boolean;
  logger: Logger;
}): Promise<void> {
  // Loaded on use, as in service-kit.ts: importing the runtime costs no database driver.
  const { runMigrations } = await import('@surge/postgres');
  const { databaseUrl, logger } = options;
  await runMigrations({ databaseUrl, dir: options.migrationsDir, logger });
  if (options.messaging)
    await runMigrations({
      databaseUrl,
      dir: (await import('@surge/messaging')).messagingMigrationsDir,
      logger,
      table: 'schema_migrations_messaging',
    });
}
