import type { TokenVerifier } from '@surge/auth';
import { resolveWithSystemDns, type RandomSource, type ResolveHost } from '@surge/http-client';
import type { RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import {
  startService,
  type ListenConfig,
  type ServiceDefinition,
  type ServiceKit,
} from '@surge/service-runtime';
import { BalancedServiceClient } from './clients/balanced-service-client';
import { UpstreamMetrics } from './clients/upstream-metrics';
import { UpstreamPools } from './clients/upstream-pools';
import { loadConfig, type GatewayConfig } from './config';
import { RedisRateLimitStore } from './data-access/redis-rate-limit-store';
import { UPSTREAM_NAMES } from './domain/route-table';
import { mountGatewayRoutes } from './entry-points/http/gateway-routes';
import { loadOpenApiDocument } from './entry-points/http/openapi-document';
import { gatewayListener, type MountedProxy } from './entry-points/http/public-listener';

export const SERVICE_NAME = 'gateway';

/** How long a start waits for Redis and its scripts before it serves with limits failing open. */
const REDIS_WARM_UP_MS = 3_000;

export interface StartGatewayOptions {
  /** How DNS names of upstreams become instance addresses; the OS resolver unless a test fakes it. */
  resolveHost?: ResolveHost;
  /** The balancer's random source; a test may make it predictable. */
  random?: RandomSource;
}

/**
 * Wires the gateway: Redis for rate limits, the upstream pools (found and probed before
 * the first request), the token verifier over the user service's JWKS, the routes, and
 * the public listener that runs API routes outside express's router. main.ts calls it
 * with the parsed environment; tests call it with their own config on port 0.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  options: StartGatewayOptions = {},
): Promise<RunningServer> {
  return startService(SERVICE_NAME, logger, async (kit) => {
    const openapi = loadOpenApiDocument();
    // Every key under `gateway:`: the gateway's Redis user may touch nothing else (docs/security.md).
    // Auto-pipelined: every request's rate-limit script, one socket write per event-loop turn.
    // Not a readiness check: rate limiting fails open when Redis is down, so a Redis outage
    // must not take every gateway out of the load balancer at once.
    const redis = kit.redis({
      url: config.redisUrl,
      keyPrefix: 'gateway:',
      readiness: false,
      autoPipelining: true,
    });
    const upstreams = upstreamPools(kit, config, options);
    const verifier = tokenVerifier(kit, config, upstreams);
    await upstreams.start();
    const rateLimitStore = new RedisRateLimitStore(redis, {
      keyPrefix: config.rateLimits.keyPrefix,
      timeoutMs: config.rateLimits.redisTimeoutMs,
    });
    await rateLimitStore
      .warmUp(REDIS_WARM_UP_MS)
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'rate-limit store not ready at start; limits fail open until it is'),
      );
    const deps = { config, logger, verifier, upstreams, openapi, rateLimitStore };
    logger.info(
      { upstreams: UPSTREAM_NAMES.filter((name) => config.upstreams[name]) },
      'upstreams configured',
    );
    let mounted: MountedProxy | undefined;
    return kit.serve(listenConfig(config), {
      faultInjection: config.faultInjection,
      // The edge: a client's x-deadline-ms is not believed; the proxy sets its own.
      trustCallerDeadline: false,
      // Nothing that can fail without the gateway still serving: upstreams are summarised
      // by GET /health, and Redis is not a readiness check (above).
      readiness: {},
      // The gateway streams bodies through untouched; it enforces size and type itself.
      parseJson: false,
      routes: (app) => {
        mounted = mountGatewayRoutes(app, deps, kit.registry);
      },
      publicListener: (http) => gatewayListener(http, mounted),
    });
  });
}

/** What runMain and the test harness start. */
export const gatewayService: ServiceDefinition<GatewayConfig> = {
  name: SERVICE_NAME,
  loadConfig,
  logLevel: (config) => config.logLevel,
  logBatching: (config) => config.logBatching,
  start: (config, logger) => startGateway(config, logger),
};

/** Instances of every configured upstream, with their metrics in the kit's registry; closed on stop. */
function upstreamPools(kit: ServiceKit, config: GatewayConfig, options: StartGatewayOptions): UpstreamPools {
  const metrics = new UpstreamMetrics(kit.registry);
  const pools = new UpstreamPools({
    urls: config.upstreams,
    connection: {
      connections: config.upstreamConnections,
      connectTimeoutMs: config.upstreamConnectTimeoutMs,
    },
    health: config.upstreamHealth,
    ejection: config.ejection,
    resolveIntervalMs: config.upstreamResolveIntervalMs,
    resolveHost: options.resolveHost ?? resolveWithSystemDns,
    events: metrics,
    logger: kit.logger,
    ...(options.random ? { random: options.random } : {}),
  });
  metrics.watch(pools);
  kit.onStop('upstream pools', () => pools.close());
  return pools;
}

/**
 * The user tokens' verifier over the user service's JWKS, fetched through the user
 * upstream's balancer: with one fixed URL, a single dead user instance would leave the
 * gateway unable to verify any token (balanced-service-client.ts).
 */
function tokenVerifier(kit: ServiceKit, config: GatewayConfig, upstreams: UpstreamPools): TokenVerifier {
  const userGroup = upstreams.get('user');
  const userUrl = config.upstreams.user[0];
  if (!userGroup || !userUrl)
    throw new Error('USER_SERVICE_URL is required: the gateway verifies tokens with its JWKS');
  const jwksClient = new BalancedServiceClient(userGroup, userUrl, 2_000);
  kit.onStop('user jwks client', () => jwksClient.close());
  const jwt = { JWT_ISSUER: config.jwt.issuer, JWT_AUDIENCE: config.jwt.audience };
  return kit.verifiers(jwksClient, jwt, { minRefreshIntervalMs: config.jwt.minRefreshIntervalMs }).user;
}

/** The listeners' settings under the names the runtime (and every other service's config) uses. */
function listenConfig(config: GatewayConfig): ListenConfig {
  return {
    PORT: config.port,
    HOST: config.host,
    ADMIN_HOST: config.adminHost,
    ADMIN_PORT: config.adminPort,
    SHUTDOWN_GRACE_MS: config.shutdownGraceMs,
  };
}
