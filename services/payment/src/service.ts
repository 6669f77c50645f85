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
import { startService, type ServiceDefinition } from '@surge/service-runtime';
import { createProviderClient } from './clients/provider-client';
import { loadConfig, type PaymentConfig } from './config';
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
  return startService(SERVICE_NAME, logger, async (kit) => {
    const pool = await kit.postgres({ databaseUrl: config.DATABASE_URL, migrationsDir, messaging: true });
    const breaker = upstreamBreakerOptions(config);
    const users = kit.userClient({ url: config.USER_SERVICE_URL, connections: 4, breaker, retry: true });
    // Internal routes take service tokens minted for this service, from the same JWKS.
    const verify = kit.verifiers(users, config);
    // No retries inside the client: a retry is the caller's decision, made with the same key.
    // The breaker keeps the charge's invariant: an open breaker is a DependencyError before
    // any call, exactly like a provider that did not answer, so the payment stays PENDING
    // (503 to the order service, which retries with the same key) and the reconciler settles
    // it with the provider once the breaker lets a trial call through.
    const providerClient = kit.client({
      name: 'payment-provider',
      baseUrl: config.PAYMENT_PROVIDER_URL,
      timeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
      breaker,
    });
    const payments = createPaymentRepository(pool, `/surge/${SERVICE_NAME}`);
    const metrics = createPaymentMetrics();
    metrics.registerOn(kit.registry);
    const deps: PaymentDeps = {
      payments,
      provider: createProviderClient(providerClient),
      metrics,
      attemptLeaseMs: config.PAYMENT_PROVIDER_TIMEOUT_MS + LEASE_MARGIN_MS,
    };

    await kit.outboxRelay(pool, config);
    // Stops first: a pass in flight finishes with the provider client and the pool still open.
    const reconciler = startReconciler(config, deps, pool, logger);
    if (reconciler) kit.onStop('reconciler', () => reconciler.stop());
    return kit.serve(config, {
      // The internal API's OpenAPI document (generated from packages/contracts), for operators.
      adminRoutes: apiDocumentRoutes(() => internalOpenApi('payment')),
      faultInjection: config.FAULT_INJECTION,
      // The provider is not a readiness check: replays, lists and the outbox work without
      // it, and a charge it cannot answer is a clear 503 for the caller to retry.
      routes: (app) => {
        // Before `authenticate`, which takes user tokens only: a service token is checked here.
        app.use('/internal', requireServiceToken(verify.service));
        app.use('/internal/payments', internalRoutes(deps));
        app.use('/internal', routeNotFound());
        app.use(authenticate(verify.user));
        app.use('/api/payments', paymentRoutes({ payments }));
      },
    });
  });
}

/** What runMain and the test harness start. */
export const paymentService: ServiceDefinition<PaymentConfig> = {
  name: SERVICE_NAME,
  loadConfig,
  start: startPaymentService,
};

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
