import { internalOpenApi } from '@surge/contracts';
import { RemoteJwks, ServiceTokenVerifier, TokenVerifier } from '@surge/auth';
import { kafkaSaslOf, upstreamBreakerOptions } from '@surge/config';
import { ServiceClient } from '@surge/http-client';
import {
  authenticate,
  createHttpApp,
  requireServiceToken,
  routeNotFound,
  createMetricsRegistry,
  startServer,
  type RunningServer,
  apiDocumentRoutes,
} from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { messagingMigrationsDir, registerOutboxMetrics, startOutboxRelay } from '@surge/messaging';
import { createPool, pingPostgres, registerPoolMetrics, runMigrations, type Pool } from '@surge/postgres';
import { createRedis, pingRedis, type Redis } from '@surge/redis';
import type { ProductConfig } from './config';
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
export async function migrate(databaseUrl: string, logger: Logger): Promise<void> {
  await runMigrations({ databaseUrl, dir: migrationsDir, logger });
  await runMigrations({
    databaseUrl,
    dir: messagingMigrationsDir,
    logger,
    table: 'schema_migrations_messaging',
  });
}

/**
 * Wires the product service: migrations, the optional development catalog, pools,
 * cache, routes, the outbox relay. main.ts calls it with the parsed environment; tests
 * call it with their own config on port 0.
 */
export async function startProductService(config: ProductConfig, logger: Logger): Promise<RunningServer> {
  await migrate(config.DATABASE_URL, logger);
  const pool = createPool({
    connectionString: config.DATABASE_URL,
    applicationName: SERVICE_NAME,
    max: config.PG_POOL_MAX,
    logger,
  });
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
  await awaitCache(redis, logger);
  const cache = createCatalogCache(redis, {
    productTtlSeconds: config.PRODUCT_CACHE_TTL_SECONDS,
    listTtlSeconds: config.LIST_CACHE_TTL_SECONDS,
    staleTtlSeconds: config.STALE_CACHE_TTL_SECONDS,
    timeoutMs: config.CACHE_TIMEOUT_MS,
    logger: logger.child({ component: 'catalog-cache' }),
  });
  if (config.SEED_CATALOG) await seed(pool, cache, config.SEED_CATALOG_SIZE, logger);

  // The client's metrics go to the registry the app serves on /metrics, so it exists first.
  const registry = createMetricsRegistry(SERVICE_NAME);
  registerPoolMetrics(registry, pool);
  registerOutboxMetrics(registry, pool, logger);
  // JWKS reads: a GET, retried; an open breaker fails token checks of unknown keys at once
  // (503), while cached keys keep verifying, and public catalog reads need no token.
  const users = new ServiceClient({
    name: 'user',
    baseUrl: config.USER_SERVICE_URL,
    timeoutMs: 2_000,
    connections: 4,
    breaker: upstreamBreakerOptions(config),
    retry: true,
    registry,
    logger,
  });
  const keys = new RemoteJwks({
    client: users,
    path: '/api/auth/jwks',
    minRefreshIntervalMs: config.JWKS_MIN_REFRESH_INTERVAL_MS,
    logger,
  });
  const verifier = new TokenVerifier({ keys, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  // Internal routes take service tokens minted for this service, from the same JWKS.
  const services = new ServiceTokenVerifier({ keys, issuer: config.JWT_ISSUER, audience: SERVICE_NAME });
  const products = createProductRepository(pool);
  const inventory = createInventoryRepository(pool);
  const flights = new SingleFlight();

  const relay = await startOutboxRelay({
    service: SERVICE_NAME,
    pool,
    brokers: config.KAFKA_BROKERS,
    sasl: kafkaSaslOf(config),
    enabled: config.OUTBOX_RELAY,
    logger,
  });
  const http = createHttpApp({
    // The internal API's OpenAPI document (generated from packages/contracts), for operators.
    adminRoutes: apiDocumentRoutes(() => internalOpenApi('product')),
    service: SERVICE_NAME,
    logger,
    registry,
    faultInjection: config.FAULT_INJECTION,
    // Postgres only. Redis is a cache here: without it every read still answers (from
    // the database), so a Redis outage must not take all instances out of rotation at
    // once, which would turn a slower catalog into no catalog.
    readiness: { postgres: () => pingPostgres(pool) },
    routes: (app) => {
      const deps = { products, cache, flights, metrics: createCacheMetrics(registry) };
      // Before `authenticate`, which takes user tokens only: a service token is checked here.
      app.use('/internal', requireServiceToken(services), internalRoutes({ ...deps, inventory }));
      app.use('/internal', routeNotFound());
      app.use(authenticate(verifier));
      app.use('/api/products', productRoutes(deps));
      app.use('/api/categories', categoryRoutes(deps));
    },
  });
  return startServer(http, {
    port: config.PORT,
    host: config.HOST,
    adminHost: config.ADMIN_HOST,
    adminPort: config.ADMIN_PORT,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    cleanups: [
      () => pool.end(),
      // quit() waits for a connection that may never come back; a dead link is just dropped.
      async () => (redis.status === 'ready' ? redis.quit() : redis.disconnect()),
      () => users.close(),
      ...(relay ? [() => relay.stop()] : []),
    ],
  });
}

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
