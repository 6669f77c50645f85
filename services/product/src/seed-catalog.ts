import { createLogger } from '@surge/logger';
import { createPool } from '@surge/postgres';
import { createRedis, pingRedis } from '@surge/redis';
import { loadSeedConfig } from './config';
import { createCatalogCache } from './data-access/catalog-cache';
import { seedCatalog } from './data-access/catalog-seeder';
import { migrate, SERVICE_NAME } from './service';

/**
 * `node dist/seed-catalog.js`: seeds (or tops up) the deterministic development catalog
 * without starting the service. Safe to run any number of times. Reads DATABASE_URL,
 * SEED_CATALOG_SIZE and, to retire cached list pages, REDIS_URL / REDIS_KEY_PREFIX.
 */
async function main(): Promise<void> {
  const config = loadSeedConfig(process.env);
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
  await migrate(config.DATABASE_URL, logger);
  const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: `${SERVICE_NAME}-seed` });
  try {
    const inserted = await seedCatalog(pool, { size: config.SEED_CATALOG_SIZE });
    logger.info({ inserted, size: config.SEED_CATALOG_SIZE }, 'development catalog seeded');
    if (inserted > 0 && config.REDIS_URL)
      await retireCachedLists(config.REDIS_URL, config.REDIS_KEY_PREFIX, logger);
  } finally {
    await pool.end();
  }
}

async function retireCachedLists(url: string, keyPrefix: string, logger: ReturnType<typeof createLogger>) {
  const redis = createRedis({ url, keyPrefix, logger });
  try {
    await pingRedis(redis);
    await createCatalogCache(redis, {
      productTtlSeconds: 1,
      listTtlSeconds: 1,
      staleTtlSeconds: 1,
      timeoutMs: 2_000,
      logger,
    }).bumpGeneration();
  } finally {
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', service: SERVICE_NAME, msg: 'seeding failed', err: String(error instanceof Error ? error.message : error) })}\n`,
  );
  process.exit(1);
});
