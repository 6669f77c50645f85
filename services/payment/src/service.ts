import { RemoteJwks, TokenVerifier } from '@surge/auth';
import { ServiceClient } from '@surge/http-client';
import { authenticate, createHttpApp, startServer, type RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { messagingMigrationsDir, startOutboxRelay } from '@surge/messaging';
import { createPool, pingPostgres, runMigrations, type Pool } from '@surge/postgres';
import { createProviderClient } from './clients/provider-client';
import type { PaymentConfig } from './config';
import { runAsLeader } from './data-access/leader-lock';
import { migrationsDir } from './data-access/migrations-dir';
import { createPaymentRepository } from './data-access/payment-repository';
import type { PaymentDeps } from './domain/ports';
import { internalRoutes } from './entry-points/http/internal-routes';
import { paymentRoutes } from './entry-points/http/payment-routes';
import { ReconcilerJob } from './entry-points/jobs/reconciler-job';
import { createPaymentMetrics } from './metrics/payment-metrics';

export const SERVICE_NAME = 'payment';

/** Extra lease time beyond the provider timeout, for our own bookkeeping around the call. */
const LEASE_MARGIN_MS = 1_000;

/**
 * Wires the payment service: migrations, pool, the provider and JWKS clients, routes,
 * the outbox relay and the reconciler. main.ts calls it with the parsed environment;
 * tests call it with their own config on port 0.
 */
export async function startPaymentService(config: PaymentConfig, logger: Logger): Promise<RunningServer> {
  await runMigrations({ databaseUrl: config.DATABASE_URL, dir: migrationsDir, logger });
  await runMigrations({
    databaseUrl: config.DATABASE_URL,
    dir: messagingMigrationsDir,
    logger,
    table: 'schema_migrations_messaging',
  });
  const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: SERVICE_NAME, logger });
  const userClient = new ServiceClient({ name: 'user', baseUrl: config.USER_SERVICE_URL, connections: 4 });
  const verifier = new TokenVerifier({
    keys: new RemoteJwks({ client: userClient, path: '/api/auth/jwks', logger }),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  // No retries inside the client: a retry is the caller's decision, made with the same key.
  const providerClient = new ServiceClient({
    name: 'payment-provider',
    baseUrl: config.PAYMENT_PROVIDER_URL,
    timeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
  });
  const payments = createPaymentRepository(pool, `/surge/${SERVICE_NAME}`);

  const metrics = createPaymentMetrics();
  const deps: PaymentDeps = {
    payments,
    provider: createProviderClient(providerClient),
    metrics,
    attemptLeaseMs: config.PAYMENT_PROVIDER_TIMEOUT_MS + LEASE_MARGIN_MS,
  };
  const http = createHttpApp({
    service: SERVICE_NAME,
    logger,
    faultInjection: config.FAULT_INJECTION,
    // The provider is not a readiness check: replays, lists and the outbox work without
    // it, and a charge it cannot answer is a clear 503 for the caller to retry.
    readiness: { postgres: () => pingPostgres(pool) },
    routes: (app) => {
      app.use(authenticate(verifier));
      app.use('/api/payments', paymentRoutes({ payments }));
      app.use('/internal/payments', internalRoutes(deps));
    },
  });
  metrics.registerOn(http.registry);

  const relay = await startOutboxRelay({
    service: SERVICE_NAME,
    pool,
    brokers: config.KAFKA_BROKERS,
    enabled: config.OUTBOX_RELAY,
    logger,
  });
  const reconciler = startReconciler(config, deps, pool, logger);
  return startServer(http, {
    port: config.PORT,
    host: config.HOST,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    cleanups: [
      () => pool.end(),
      () => userClient.close(),
      () => providerClient.close(),
      ...(relay ? [() => relay.stop()] : []),
      ...(reconciler ? [() => reconciler.stop()] : []),
    ],
  });
}

function startReconciler(
  config: PaymentConfig,
  deps: PaymentDeps,
  pool: Pool,
  logger: Logger,
): ReconcilerJob | undefined {
  if (!config.RECONCILER) return undefined;
  const job = new ReconcilerJob(deps, {
    intervalMs: config.RECONCILE_INTERVAL_MS,
    minAgeMs: config.RECONCILE_MIN_AGE_MS,
    cancelledWindowMs: config.RECONCILE_CANCELLED_WINDOW_MS,
    batchSize: config.RECONCILE_BATCH_SIZE,
    asLeader: (work) => runAsLeader(pool, `${SERVICE_NAME}-reconciler`, work),
    logger: logger.child({ component: 'reconciler' }),
  });
  job.start();
  return job;
}
