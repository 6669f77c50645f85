import { internalOpenApi } from '@surge/contracts';
import { apiDocumentRoutes, type RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { startService, type ServiceDefinition } from '@surge/service-runtime';
import { loadConfig, type ProviderConfig } from './config';
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
  return startService(SERVICE_NAME, logger, async (kit) => {
    const pool = await kit.postgres({ databaseUrl: config.DATABASE_URL, migrationsDir });
    const charges = createChargeRepository(pool);
    return kit.serve(config, {
      // The internal API's OpenAPI document (generated from packages/contracts), for operators.
      adminRoutes: apiDocumentRoutes(() => internalOpenApi('payment-provider')),
      faultInjection: {
        enabled: config.FAULT_INJECTION,
        // The lost answer callers must survive is a capture's (dropAfterCapture, its older
        // name); refunds and reads are always answered.
        dropsAnswerOf: (req) => req.method === 'POST' && req.originalUrl.split('?')[0] === '/v1/charges',
      },
      routes: (app) => {
        app.use('/v1', chargeRoutes({ charges }));
      },
    });
  });
}

/** What runMain and the test harness start. */
export const providerService: ServiceDefinition<ProviderConfig> = {
  name: SERVICE_NAME,
  loadConfig,
  start: startProviderService,
};
