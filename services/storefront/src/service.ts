import express from 'express';
import type { RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { startService, type ServiceDefinition } from '@surge/service-runtime';
import { ApiClient } from './clients/api-client';
import { createBrowserSpanExporter } from './clients/browser-span-exporter';
import { OpsSources } from './clients/ops-sources';
import { loadConfig, type StorefrontConfig } from './config';
import { createClickStore } from './data-access/click-store';
import { createSessionStore } from './data-access/session-store';
import { accountRoutes } from './entry-points/http/account-routes';
import { assetRoutes, securityHeaders } from './entry-points/http/asset-routes';
import { browserSpanRoutes, fetchedForms } from './entry-points/http/browser-actions';
import { opsRoutes } from './entry-points/http/ops-routes';
import { orderRoutes } from './entry-points/http/order-routes';
import { pageErrors, pageNotFound } from './entry-points/http/page-errors';
import { shopRoutes } from './entry-points/http/shop-routes';
import { shopper } from './entry-points/http/shopper';

export const SERVICE_NAME = 'storefront';

/**
 * Wires the storefront: Redis for sessions, the API client, the pages, the operations
 * console. No database of its own: everything it shows comes from the public API (and,
 * for the console, from the services' metrics and control endpoints).
 */
export async function startStorefront(config: StorefrontConfig, logger: Logger): Promise<RunningServer> {
  return startService(SERVICE_NAME, logger, async (kit) => {
    // Sessions live here: without it no page can know its shopper, so it is a readiness check.
    const redis = kit.redis({ url: config.REDIS_URL, readiness: true });
    const store = createSessionStore(redis, {
      prefix: config.SESSION_KEY_PREFIX,
      ttlSeconds: config.SESSION_TTL_SECONDS,
    });
    const clicks = createClickStore(redis, { prefix: config.SESSION_KEY_PREFIX });
    const exporter = config.BROWSER_SPANS_URL
      ? createBrowserSpanExporter({ tracesUrl: config.BROWSER_SPANS_URL, logger })
      : undefined;
    const api = new ApiClient({ baseUrl: config.GATEWAY_URL, timeoutMs: config.API_TIMEOUT_MS });
    const ops = new OpsSources({
      metricsUrls: config.OPS_METRICS_URLS ?? {},
      controlUrls: config.OPS_CONTROL_URLS ?? config.OPS_METRICS_URLS ?? {},
      gatewayUrl: config.GATEWAY_URL,
      jaegerUiUrl: config.JAEGER_UI_URL,
      resultsDir: config.OPS_RESULTS_DIR,
      logger,
    });
    return kit.serve(config, {
      // Pages read forms, not JSON: the kit's JSON parser would refuse them.
      parseJson: false,
      routes: (app) => {
        app.set('trust proxy', config.TRUST_PROXY_HOPS > 0 ? config.TRUST_PROXY_HOPS : false);
        app.use(securityHeaders);
        app.use('/assets', assetRoutes());
        app.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));
        // Before the session and CSRF check: a browser span carries no form token (it may
        // follow a sign-in that changed the session), and is checked against its click instead.
        app.use(browserSpanRoutes({ clicks, exporter, logger }));
        app.use(fetchedForms(clicks));
        app.use(
          shopper({ store, api, secret: config.SESSION_SECRET, ttlSeconds: config.SESSION_TTL_SECONDS }),
        );
        app.use(accountRoutes({ api, store, ttlSeconds: config.SESSION_TTL_SECONDS }));
        app.use(shopRoutes({ api, store }));
        app.use(orderRoutes({ api, store }));
        app.use(
          '/ops',
          opsRoutes({ api, store, ops, logger, faultInjection: config.NODE_ENV === 'development' }),
        );
        app.use(pageNotFound(store));
        app.use(pageErrors({ store, logger, ttlSeconds: config.SESSION_TTL_SECONDS }));
      },
    });
  });
}

/** What runMain and the test harness start. */
export const storefrontService: ServiceDefinition<StorefrontConfig> = {
  name: SERVICE_NAME,
  loadConfig,
  start: startStorefront,
};
