import { internalOpenApi } from '@surge/contracts';
import { createHttpApp, startServer, type RunningServer, apiDocumentRoutes } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { createPool, pingPostgres, runMigrations } from '@surge/postgres';
import type { ProviderConfig } from './config';
import { createChargeRepository } from './data-access/charge-repository';
import { migrationsDir } from './data-access/migrations-dir';
import { chargeRoutes } from './entry-points/http/charge-routes';

export const SERVICE_NAME = 'payment-provider';

/**
 * Wires the processor simulator: migrations, pool, the /v1 API, and (FAULT_INJECTION,
 * never in production) http-kit's `/_control/faults`, which chaos scenarios use. No JWT: in real life it is a third party
 * with credentials of its own, not a Surge service.
 */
export async function startProviderService(config: ProviderConfig, logger: Logger): Promise<RunningServer> {
  await runMigrations({ databaseUrl: config.DATABASE_URL, dir: migrationsDir, logger });
  const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: SERVICE_NAME, logger });
  const charges = createChargeRepository(pool);

  const http = createHttpApp({
    // The internal API's OpenAPI document (generated from packages/contracts), for operators.
    adminRoutes: apiDocumentRoutes(() => internalOpenApi('payment-provider')),
    service: SERVICE_NAME,
    logger,
    faultInjection: {
      enabled: config.FAULT_INJECTION,
      // The lost answer callers must survive is a capture's (dropAfterCapture, its older
      // name); refunds and reads are always answered.
      dropsAnswerOf: (req) => req.method === 'POST' && req.originalUrl.split('?')[0] === '/v1/charges',
    },
    readiness: { postgres: () => pingPostgres(pool) },
    routes: (app) => {
      app.use('/v1', chargeRoutes({ charges }));
    },
  });
  return startServer(http, {
    port: config.PORT,
    host: config.HOST,
    adminHost: config.ADMIN_HOST,
    adminPort: config.ADMIN_PORT,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    cleanups: [() => pool.end()],
  });
}
