import type { Registry } from 'prom-client';
import { RemoteJwks, TokenVerifier } from '@surge/auth';
import {
  createHttpApp,
  createMetricsRegistry,
  startServer,
  type HttpApp,
  type RunningServer,
} from '@surge/http-kit';
import { createLogger, type Logger } from '@surge/logger';
import { createRedis, type Redis } from '@surge/redis';
import { BalancedServiceClient } from './clients/balanced-service-client';
import { resolveWithSystemDns, type ResolveHost, type RandomSource } from '@surge/http-client';
import { UpstreamMetrics } from './clients/upstream-metrics';
import { UpstreamPools } from './clients/upstream-pools';
import type { GatewayConfig } from './config';
import { RedisRateLimitStore, type RateLimitStore } from './data-access/redis-rate-limit-store';
import { UPSTREAM_NAMES, type UpstreamName } from './domain/route-table';
import { mountGatewayRoutes } from './entry-points/http/gateway-routes';
import { loadOpenApiDocument, type LoadedOpenApi } from './entry-points/http/openapi-document';
import { expressServerClasses, proxyListener } from './entry-points/http/proxy-listener';

export const SERVICE_NAME = 'gateway';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  registry: Registry;
  redis: Redis;
  rateLimitStore: RateLimitStore;
  verifier: TokenVerifier;
  upstreams: UpstreamPools;
  openapi: LoadedOpenApi;
}

/**
 * The express app over ready-made dependencies, and the public listener that serves API
 * routes outside express's router (proxy-listener.ts); no sockets are opened here.
 */
export function createGatewayApp(deps: GatewayDeps): HttpApp {
  let mounted: ReturnType<typeof mountGatewayRoutes> | undefined;
  const http = createHttpApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    faultInjection: deps.config.faultInjection,
    // The edge: a client's x-deadline-ms is not believed; the proxy sets its own.
    trustCallerDeadline: false,
    registry: deps.registry,
    // Nothing that can fail without the gateway still serving: upstreams are summarised
    // by GET /health, and rate limiting fails open when Redis is down, so a Redis outage
    // must not take every gateway out of the load balancer at once.
    readiness: {},
    // The gateway streams bodies through untouched; it enforces size and type itself.
    parseJson: false,
    routes: (app, kit) => {
      mounted = mountGatewayRoutes(app, deps, kit.registry);
    },
  });
  const serverOptions = expressServerClasses(http.app);
  // Development fault injection is a step of express's chain: with it on, every request
  // takes that chain, so an injected fault reaches proxied routes as before.
  if (!mounted || http.faultsInjected) return { ...http, serverOptions };
  const listener = proxyListener({
    app: http.app,
    chain: [http.basics, mounted.cors, ...mounted.proxy],
    errorHandler: http.errorHandler,
  });
  return { ...http, listener, serverOptions };
}

export interface StartGatewayOptions {
  /** A test passes its own to read the lines; otherwise JSON to stdout. */
  logger?: Logger;
  /** How DNS names of upstreams become instance addresses; the OS resolver unless a test fakes it. */
  resolveHost?: ResolveHost;
  /** The balancer's random source; a test may make it predictable. */
  random?: RandomSource;
}

/** Builds every client from config, finds the upstream instances, starts listening, and returns a handle that stops it all. */
export async function startGateway(
  config: GatewayConfig,
  options: StartGatewayOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const { deps, cleanups } = connectDependencies(config, logger, options);
  let running: RunningServer;
  try {
    await deps.upstreams.start();
    running = await startServer(createGatewayApp(deps), {
      port: config.port,
      host: config.host,
      adminHost: config.adminHost,
      adminPort: config.adminPort,
      logger,
      graceMs: config.shutdownGraceMs,
      cleanups,
    });
  } catch (error) {
    // The port was taken, say: release what was already opened, so a caller that
    // retries in-process does not leak connections.
    await Promise.allSettled([...cleanups].reverse().map((cleanup) => cleanup()));
    throw error;
  }
  logger.info(
    { port: running.port, adminPort: running.adminPort, upstreams: configuredNames(config) },
    'gateway listening',
  );
  return running;
}

/** Every client the gateway holds, and how to release them (in reverse order, after the last request). */
function connectDependencies(
  config: GatewayConfig,
  logger: Logger,
  options: StartGatewayOptions,
): { deps: GatewayDeps; cleanups: Array<() => Promise<unknown>> } {
  const openapi = loadOpenApiDocument();
  const registry = createMetricsRegistry(SERVICE_NAME);
  // Every key under `gateway:`: the gateway's Redis user may touch nothing else (docs/security.md).
  // Auto-pipelined: every request's rate-limit script, one socket write per event-loop turn.
  const redis = createRedis({ url: config.redisUrl, keyPrefix: 'gateway:', logger, autoPipelining: true });
  const upstreams = createUpstreamPools(config, logger, registry, options);
  const userGroup = upstreams.get('user');
  const userUrl = config.upstreams.user[0];
  if (!userGroup || !userUrl)
    throw new Error('USER_SERVICE_URL is required: the gateway verifies tokens with its JWKS');
  const jwksClient = new BalancedServiceClient(userGroup, userUrl, 2_000);
  const verifier = new TokenVerifier({
    keys: new RemoteJwks({
      client: jwksClient,
      path: '/api/auth/jwks',
      minRefreshIntervalMs: config.jwt.minRefreshIntervalMs,
      logger,
    }),
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  });
  const deps: GatewayDeps = {
    config,
    logger,
    registry,
    redis,
    rateLimitStore: new RedisRateLimitStore(redis, {
      keyPrefix: config.rateLimits.keyPrefix,
      timeoutMs: config.rateLimits.redisTimeoutMs,
    }),
    verifier,
    upstreams,
    openapi,
  };
  const cleanups = [() => closeRedis(redis), () => jwksClient.close(), () => upstreams.close()];
  return { deps, cleanups };
}

function createUpstreamPools(
  config: GatewayConfig,
  logger: Logger,
  registry: Registry,
  options: StartGatewayOptions,
): UpstreamPools {
  const metrics = new UpstreamMetrics(registry);
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
    logger,
    ...(options.random ? { random: options.random } : {}),
  });
  metrics.watch(pools);
  return pools;
}

function configuredNames(config: GatewayConfig): UpstreamName[] {
  return UPSTREAM_NAMES.filter((name) => config.upstreams[name] !== undefined);
}

/** QUIT waits for Redis; when it is unreachable there is nothing to wait for. */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
