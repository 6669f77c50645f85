import { Router, type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { TokenVerifier } from '@surge/auth';
import type { Logger } from '@surge/logger';
import type { UpstreamPools } from '../../clients/upstream-pools';
import type { GatewayConfig } from '../../config';
import type { RateLimitStore } from '../../data-access/redis-rate-limit-store';
import { ConcurrencyLimit } from '../../domain/concurrency-limit';
import { bodyRules } from './body-rules';
import { corsPolicy } from './cors-policy';
import { mountDocsRoutes } from './docs-route';
import { healthSummaryRoute } from './health-summary-route';
import { loadShedding } from './load-shedding';
import type { LoadedOpenApi } from './openapi-document';
import { documentedMethods } from '../../domain/documented-methods';
import { proxyMetrics } from './proxy-metrics';
import { proxyToUpstream } from './proxy-middleware';
import { rateLimit } from './rate-limit-middleware';
import { authenticateBehindFailureLimit } from './token-failure-gate';
import { enforceAccess, resolveRoute } from './route-guard';

export interface GatewayRouteDeps {
  config: GatewayConfig;
  logger: Logger;
  verifier: TokenVerifier;
  rateLimitStore: RateLimitStore;
  upstreams: UpstreamPools;
  openapi: LoadedOpenApi;
}

/**
 * The gateway's own endpoints, then the proxy chain, in the order that keeps it cheap
 * and safe: route (404 before anything else), load shedding (503 before any work),
 * token (429 unread from an address that sent too many bad ones, else verified: 401,
 * also on public routes when a bad token is sent), access, rate limit,
 * body rules, upstream. Returns the CORS policy and the proxy chain, for the public
 * listener that runs API routes outside express's router (proxy-listener.ts).
 */
export function mountGatewayRoutes(
  app: Express,
  deps: GatewayRouteDeps,
  registry: Registry,
): { cors: RequestHandler; proxy: RequestHandler[] } {
  app.set('trust proxy', deps.config.trustProxyHops > 0 ? deps.config.trustProxyHops : false);
  const cors = corsPolicy(deps.config.corsAllowedOrigins);
  app.use(cors);
  app.get('/health', healthSummaryRoute(deps.upstreams, deps.config.upstreamHealth.showAddresses));
  mountDocsRoutes(app, deps.openapi);
  const chain = proxyChain(deps, registry);
  const proxy = Router();
  proxy.use(...chain);
  app.use(proxy);
  return { cors, proxy: chain };
}

/**
 * The proxy chain's steps, built once: express mounts them (the storefront's pages, and
 * every proxied route while development fault injection is on) and the public listener
 * runs them for API routes outside express's router (proxy-listener.ts).
 */
function proxyChain(deps: GatewayRouteDeps, registry: Registry): RequestHandler[] {
  return [
    allowProxyListeners,
    resolveRoute({
      storefront: deps.config.upstreams.storefront !== undefined,
      documented: documentedMethods(deps.openapi.document.paths),
    }),
    proxyMetrics(registry),
    loadShedding({
      limit: new ConcurrencyLimit(deps.config.loadShedding),
      retryAfterSeconds: deps.config.loadShedding.retryAfterSeconds,
      registry,
    }),
    authenticateBehindFailureLimit({
      verifier: deps.verifier,
      store: deps.rateLimitStore,
      limit: deps.config.rateLimits.badTokens,
      logger: deps.logger,
      registry,
    }),
    enforceAccess,
    rateLimit({
      store: deps.rateLimitStore,
      policies: deps.config.rateLimits.policies,
      logger: deps.logger,
      registry,
    }),
    bodyRules(deps.config.bodyLimitBytes),
    proxyToUpstream({
      upstreams: deps.upstreams,
      timeoutMs: deps.config.upstreamTimeoutMs,
      bodyLimitBytes: deps.config.bodyLimitBytes,
      trustProxyHops: deps.config.trustProxyHops,
      logger: deps.logger,
    }),
  ];
}

/**
 * Every step of the proxy chain that must know when the client hangs up (load shedding,
 * the upstream call, the body pipeline) listens for the response's 'close', as do
 * express, the access log, metrics and, with tracing on, OpenTelemetry: 11 listeners,
 * one over Node's default cap of 10. Over the cap Node builds a MaxListenersExceededWarning
 * with a stack trace and writes it to stderr, for every proxied response (found with
 * `npm run bench -- gateway-vs-nginx`). The cap stays finite, so a real leak still warns.
 */
const RESPONSE_LISTENER_CAP = 32;

const allowProxyListeners: RequestHandler = (_req, res, next) => {
  res.setMaxListeners(RESPONSE_LISTENER_CAP);
  next();
};
