import { ServiceTokens, withServiceToken } from '@surge/auth';
import { authenticate, type RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { startService, type ServiceDefinition } from '@surge/service-runtime';
import { createPaymentClient } from './clients/payment-client';
import { createProductClient } from './clients/product-client';
import { createUpstreamClients } from './clients/upstream-clients';
import { CLIENT_ID, loadConfig, type OrderConfig } from './config';
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
  return startService(SERVICE_NAME, logger, async (kit) => {
    const pool = await kit.postgres({
      databaseUrl: config.DATABASE_URL,
      migrationsDir,
      messaging: true,
      pool: {
        max: 20,
        // Within the gateway's 5 s budget for the order service: when the database cannot be
        // reached (a partition), a checkout answers 503 with Retry-After instead of the
        // gateway's 504, and no request holds a connection for longer than this.
        statementTimeoutMs: 1_500,
        queryTimeoutMs: 2_000,
        connectTimeoutMs: 1_500,
      },
    });
    // Redis holds only carts: checkout and order reads keep working without it.
    const redis = kit.redis({ url: config.REDIS_URL, keyPrefix: `${SERVICE_NAME}:`, readiness: false });
    const clients = createUpstreamClients(config, kit.registry, logger);
    kit.onStop('upstream clients', () => clients.close());
    const verify = kit.verifiers(clients.user, config);
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
      metrics: createSagaMetrics(kit.registry),
      policy: {
        leaseSeconds: config.CHECKOUT_LEASE_SECONDS,
        workerLeaseSeconds: config.WORKER_LEASE_SECONDS,
        paymentDeadlineSeconds: config.PAYMENT_DEADLINE_SECONDS,
        retryBaseMs: config.PAYMENT_RETRY_BASE_MS,
        retryMaxMs: config.PAYMENT_RETRY_MAX_MS,
      },
    };
    const cart = createCartStore(redis, config.CART_TTL_SECONDS);
    await kit.outboxRelay(pool, config);
    // Stops first: a pass in flight finishes with the clients, the pool and the relay still open.
    const worker = new RecoveryWorker(
      deps,
      config.WORKER_INTERVAL_MS,
      logger.child({ component: 'recovery-worker' }),
    );
    if (config.RECOVERY_WORKER) worker.start();
    kit.onStop('recovery worker', () => worker.stop());

    return kit.serve(config, {
      faultInjection: config.FAULT_INJECTION,
      routes: (app) => {
        app.use(authenticate(verify.user));
        app.use('/api/cart', cartRoutes({ cart, inventory: deps.inventory }));
        app.use('/api/orders', orderRoutes({ ...deps, cart }));
      },
    });
  });
}

/** What runMain and the test harness start. */
export const orderService: ServiceDefinition<OrderConfig> = {
  name: SERVICE_NAME,
  loadConfig,
  start: startOrderService,
};
