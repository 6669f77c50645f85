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
  // The clients' metrics go to the registry the app serves on /metrics, so it exists first.
  const registry = createMetricsRegistry(SERVICE_NAME);
  registerPoolMetrics(registry, pool);
  registerOutboxMetrics(registry, pool, logger);
  const breaker = upstreamBreakerOptions(config);
  // JWKS reads: a GET, retried; an open breaker fails token checks of unknown keys at once
  // (503), while keys already cached keep verifying (RemoteJwks).
  const userClient = new ServiceClient({
    name: 'user',
    baseUrl: config.USER_SERVICE_URL,
    connections: 4,
    breaker,
    retry: true,
    registry,
    logger,
  });
  const keys = new RemoteJwks({ client: userClient, path: '/api/auth/jwks', logger });
  const verifier = new TokenVerifier({ keys, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  // Internal routes take service tokens minted for this service, from the same JWKS.
  const services = new ServiceTokenVerifier({ keys, issuer: config.JWT_ISSUER, audience: SERVICE_NAME });
  // No retries inside the client: a retry is the caller's decision, made with the same key.
  // The breaker keeps the charge's invariant: an open breaker is a DependencyError before
  // any call, exactly like a provider that did not answer, so the payment stays PENDING
  // (503 to the order service, which retries with the same key) and the reconciler settles
  // it with the provider once the breaker lets a trial call through.
  const providerClient = new ServiceClient({
    name: 'payment-provider',
    baseUrl: config.PAYMENT_PROVIDER_URL,
    timeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
    breaker,
    registry,
    logger,
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
    // The internal API's OpenAPI document (generated from packages/contracts), for operators.
    adminRoutes: apiDocumentRoutes(() => internalOpenApi('payment')),
    service: SERVICE_NAME,
    logger,
    registry,
    faultInjection: config.FAULT_INJECTION,
    // The provider is not a readiness check: replays, lists and the outbox work without
    // it, and a charge it cannot answer is a clear 503 for the caller to retry.
    readiness: { postgres: () => pingPostgres(pool) },
    routes: (app) => {
      // Before `authenticate`, which takes user tokens only: a service token is checked here.
      app.use('/internal', requireServiceToken(services));
      app.use('/internal/payments', internalRoutes(deps));
      app.use('/internal', routeNotFound());
      app.use(authenticate(verifier));
      app.use('/api/payments', paymentRoutes({ payments }));
    },
  });
  metrics.registerOn(http.registry);

  const relay = await startOutboxRelay({
    service: SERVICE_NAME,
    pool,
    brokers: config.KAFKA_BROKERS,
    sasl: kafkaSaslOf(config),
    enabled: config.OUTBOX_RELAY,
    logger,
  });
  const reconciler = startReconciler(config, deps, pool, logger);
  return startServer(http, {
    port: config.PORT,
    host: config.HOST,
    adminHost: config.ADMIN_HOST,
    adminPort: config.ADMIN_PORT,
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
