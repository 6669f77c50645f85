import { createHttpApp, startServer, type RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { createPool, pingPostgres, runMigrations } from '@surge/postgres';
import type { ProviderConfig } from './config';
import { createChargeRepository } from './data-access/charge-repository';
import { migrationsDir } from './data-access/migrations-dir';
import { FaultSwitch } from './domain/faults';
import { chargeRoutes } from './entry-points/http/charge-routes';
import { controlRoutes } from './entry-points/http/control-routes';
import { faultInjection } from './entry-points/http/fault-injection';

export const SERVICE_NAME = 'payment-provider';

/**
 * Wires the processor simulator: migrations, pool, the /v1 API behind fault injection,
 * and the fault switch outside production. No JWT: in real life it is a third party
 * with credentials of its own, not a Surge service.
 */
export async function startProviderService(config: ProviderConfig, logger: Logger): Promise<RunningServer> {
  await runMigrations({ databaseUrl: config.DATABASE_URL, dir: migrationsDir, logger });
  const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: SERVICE_NAME, logger });
  const charges = createChargeRepository(pool);
  const faults = new FaultSwitch();

  const http = createHttpApp({
    service: SERVICE_NAME,
    logger,
    readiness: { postgres: () => pingPostgres(pool) },
    routes: (app) => {
      app.use('/v1', faultInjection(faults), chargeRoutes({ charges, faults }));
      if (config.NODE_ENV !== 'production') app.use('/_control', controlRoutes(faults));
    },
  });
  return startServer(http, {
    port: config.PORT,
    host: config.HOST,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    cleanups: [() => pool.end()],
  });
}
