import { internalOpenApi } from '@surge/contracts';
import { upstreamBreakerOptions } from '@surge/config';
import {
  apiDocumentRoutes,
  authenticate,
  requireServiceToken,
  routeNotFound,
  type RunningServer,
} from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import type { Pool } from '@surge/postgres';
import { pingRedis, type Redis } from '@surge/redis';
import { migrateServiceDatabase, startService, type ServiceDefinition } from '@surge/service-runtime';
import { loadConfig, type ProductConfig } from './config';
import { createCatalogCache } from './data-access/catalog-cache';
import { seedCatalog } from './data-access/catalog-seeder';
import { createInventoryRepository } from './data-access/inventory-repository';
import { migrationsDir } from './data-access/migrations-dir';
import { createProductRepository } from './data-access/product-repository';
import type { CatalogCache } from './domain/ports';
import { SingleFlight } from './domain/single-flight';
import { categoryRoutes } from './entry-points/http/category-routes';
import { internalRoutes } from './entry-points/http/internal-routes';
import { productRoutes } from './entry-points/http/product-routes';
import { createCacheMetrics } from './telemetry/cache-metrics';

export const SERVICE_NAME = 'product';

/** Applies this service's migrations and the outbox's; the seed script uses it too. */
export function migrate(databaseUrl: string, logger: Logger): Promise<void> {
  return migrateServiceDatabase({ databaseUrl, migrationsDir, messaging: true, logger });
}

/**
 * Wires the product service: migrations, the optional development catalog, pools,
 * cache, routes, the outbox relay. main.ts calls it with the parsed environment; tests
 * call it with their own config on port 0.
 */
export async function startProductService(config: ProductConfig, logger: Logger): Promise<RunningServer> {
  return startService(SERVICE_NAME, logger, async (kit) => {
    const pool = await kit.postgres({
      databaseUrl: config.DATABASE_URL,
      migrationsDir,
      messaging: true,
      pool: { max: config.PG_POOL_MAX },
    });
    // Not a readiness check: Redis is a cache here. Without it every read still answers
    // (from the database), so a Redis outage must not take all instances out of rotation
    // at once, which would turn a slower catalog into no catalog.
    const redis = kit.redis({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, readiness: false });
    await awaitCache(redis, logger);
    const cache = createCatalogCache(redis, {
      productTtlSeconds: config.PRODUCT_CACHE_TTL_SECONDS,
      listTtlSeconds: config.LIST_CACHE_TTL_SECONDS,
      staleTtlSeconds: config.STALE_CACHE_TTL_SECONDS,
      timeoutMs: config.CACHE_TIMEOUT_MS,
      logger: logger.child({ component: 'catalog-cache' }),
    });
    if (config.SEED_CATALOG) await seed(pool, cache, config.SEED_CATALOG_SIZE, logger);

    // Public catalog reads need no token: only writes and /internal depend on the JWKS.
    const users = kit.userClient({
      url: config.USER_SERVICE_URL,
      timeoutMs: 2_000,
      connections: 4,
      breaker: upstreamBreakerOptions(config),
      retry: true,
    });
    const verify = kit.verifiers(users, config, {
      minRefreshIntervalMs: config.JWKS_MIN_REFRESH_INTERVAL_MS,
    });
    const products = createProductRepository(pool);
    const inventory = createInventoryRepository(pool);
    const flights = new SingleFlight();

    await kit.outboxRelay(pool, config);
    return kit.serve(config, {
      // The internal API's OpenAPI document (generated from packages/contracts), for operators.
      adminRoutes: apiDocumentRoutes(() => internalOpenApi('product')),
      faultInjection: config.FAULT_INJECTION,
      routes: (app) => {
        const deps = { products, cache, flights, metrics: createCacheMetrics(kit.registry) };
        // Before `authenticate`, which takes user tokens only: a service token is checked here.
        app.use('/internal', requireServiceToken(verify.service), internalRoutes({ ...deps, inventory }));
        app.use('/internal', routeNotFound());
        app.use(authenticate(verify.user));
        app.use('/api/products', productRoutes(deps));
        app.use('/api/categories', categoryRoutes(deps));
      },
    });
  });
}

/** What runMain and the test harness start. */
export const productService: ServiceDefinition<ProductConfig> = {
  name: SERVICE_NAME,
  loadConfig,
  start: startProductService,
};

/** Gives Redis a moment to connect, so the first requests use the cache; never fails the start. */
async function awaitCache(redis: Redis, logger: Logger): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
  await Promise.race([pingRedis(redis), timeout]).catch((error: unknown) =>
    logger.warn({ err: error }, 'redis is not reachable at start; serving from the database'),
  );
}

async function seed(pool: Pool, cache: CatalogCache, size: number, logger: Logger): Promise<void> {
  const inserted = await seedCatalog(pool, { size });
  if (inserted > 0) await cache.bumpGeneration();
  logger.info({ inserted, size }, 'development catalog seeded');
}
