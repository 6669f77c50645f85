import { kafkaSaslOf } from '@surge/config';
import { RemoteJwks, ServiceTokens, TokenVerifier, withServiceToken } from '@surge/auth';
import {
  authenticate,
  createHttpApp,
  createMetricsRegistry,
  startServer,
  type RunningServer,
} from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { messagingMigrationsDir, registerOutboxMetrics, startOutboxRelay } from '@surge/messaging';
import { createPool, pingPostgres, registerPoolMetrics, runMigrations } from '@surge/postgres';
import { createRedis } from '@surge/redis';
import { createPaymentClient } from './clients/payment-client';
import { createProductClient } from './clients/product-client';
import { createUpstreamClients } from './clients/upstream-clients';
import { CLIENT_ID, type OrderConfig } from './config';
import { createCartStore } from './data-access/cart-store';
import { migrationsDir } from './data-access/migrations-dir';
import { createOrderRepository } from './data-access/order-repository';
import type { SagaDeps } from './domain/saga-deps';
import { cartRoutes } from './entry-points/http/cart-routes';
import { orderRoutes } from './entry-points/http/order-routes';
import { RecoveryWorker } from './entry-points/worker/recovery-worker';
import { createSagaMetrics } from './telemetry/saga-metrics';

export const SERVICE_NAME = 'order';

/** Wires the order service: migrations, stores, clients, routes, the recovery worker, the relay. */
export async function startOrderService(config: OrderConfig, logger: Logger): Promise<RunningServer> {
  await runMigrations({ databaseUrl: config.DATABASE_URL, dir: migrationsDir, logger });
  await runMigrations({
    databaseUrl: config.DATABASE_URL,
    dir: messagingMigrationsDir,
    logger,
    table: 'schema_migrations_messaging',
  });
  const pool = createPool({
    connectionString: config.DATABASE_URL,
    applicationName: SERVICE_NAME,
    logger,
    max: 20,
    // Within the gateway's 5 s budget for the order service: when the database cannot be
    // reached (a partition), a checkout answers 503 with Retry-After instead of the
    // gateway's 504, and no request holds a connection for longer than this.
    statementTimeoutMs: 1_500,
    queryTimeoutMs: 2_000,
    connectTimeoutMs: 1_500,
  });
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: `${SERVICE_NAME}:`, logger });
  // The clients' metrics go to the registry the app serves on /metrics, so it exists first.
  const registry = createMetricsRegistry(SERVICE_NAME);
  const clients = createUpstreamClients(config, registry, logger);
  registerPoolMetrics(registry, pool);
  registerOutboxMetrics(registry, pool, logger);

  const verifier = new TokenVerifier({
    keys: new RemoteJwks({ client: clients.user, path: '/api/auth/jwks', logger }),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  // Every call to product and payment carries a service token for that service
  // (docs/security.md, "Trust between services"), fetched from the user service and cached.
  const tokens = new ServiceTokens({
    issuer: clients.user,
    clientId: CLIENT_ID,
    clientSecret: config.SERVICE_CLIENT_SECRET,
    logger,
  });
  const deps: SagaDeps = {
    store: createOrderRepository(pool),
    inventory: createProductClient(withServiceToken(clients.product, tokens, 'product')),
    payments: createPaymentClient(withServiceToken(clients.payment, tokens, 'payment')),
    logger,
    metrics: createSagaMetrics(registry),
    policy: {
      leaseSeconds: config.CHECKOUT_LEASE_SECONDS,
      workerLeaseSeconds: config.WORKER_LEASE_SECONDS,
      paymentDeadlineSeconds: config.PAYMENT_DEADLINE_SECONDS,
      retryBaseMs: config.PAYMENT_RETRY_BASE_MS,
      retryMaxMs: config.PAYMENT_RETRY_MAX_MS,
    },
  };
  const cart = createCartStore(redis, config.CART_TTL_SECONDS);
  const worker = new RecoveryWorker(
    deps,
    config.WORKER_INTERVAL_MS,
    logger.child({ component: 'recovery-worker' }),
  );
  if (config.RECOVERY_WORKER) worker.start();
  const relay = await startOutboxRelay({
    service: SERVICE_NAME,
    pool,
    brokers: config.KAFKA_BROKERS,
    sasl: kafkaSaslOf(config),
    enabled: config.OUTBOX_RELAY,
    logger,
  });

  const http = createHttpApp({
    service: SERVICE_NAME,
    logger,
    faultInjection: config.FAULT_INJECTION,
    registry,
    // Redis holds only carts: checkout and order reads keep working without it.
    readiness: { postgres: () => pingPostgres(pool) },
    routes: (app) => {
      app.use(authenticate(verifier));
      app.use('/api/cart', cartRoutes({ cart, inventory: deps.inventory }));
      app.use('/api/orders', orderRoutes({ ...deps, cart }));
    },
  });
  return startServer(http, {
    port: config.PORT,
    host: config.HOST,
    adminHost: config.ADMIN_HOST,
    adminPort: config.ADMIN_PORT,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    // Reverse order on stop: the worker and relay first, then clients and pools.
    cleanups: [
      () => pool.end(),
      () => redis.quit(),
      () => clients.close(),
      ...(relay ? [() => relay.stop()] : []),
      () => worker.stop(),
    ],
  });
}
