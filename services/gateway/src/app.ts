import { RemoteJwks, TokenVerifier } from '@surge/auth';
import { ServiceClient } from '@surge/http-client';
import { createHttpApp, startServer, type HttpApp, type RunningServer } from '@surge/http-kit';
import { createLogger, type Logger } from '@surge/logger';
import { createRedis, type Redis } from '@surge/redis';
import { UpstreamHealth } from './clients/upstream-health';
import { UpstreamPools } from './clients/upstream-pools';
import type { GatewayConfig } from './config';
import { RedisRateLimitStore, type RateLimitStore } from './data-access/redis-rate-limit-store';
import { UPSTREAM_NAMES, type UpstreamName } from './domain/route-table';
import { mountGatewayRoutes } from './entry-points/http/gateway-routes';
import { loadOpenApiDocument, type LoadedOpenApi } from './entry-points/http/openapi-document';

export const SERVICE_NAME = 'gateway';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  redis: Redis;
  rateLimitStore: RateLimitStore;
  verifier: TokenVerifier;
  upstreams: UpstreamPools;
  health: UpstreamHealth;
  openapi: LoadedOpenApi;
}

/** The express app over ready-made dependencies; no sockets are opened here. */
export function createGatewayApp(deps: GatewayDeps): HttpApp {
  return createHttpApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    // Nothing that can fail without the gateway still serving: upstreams are summarised
    // by GET /health, and rate limiting fails open when Redis is down, so a Redis outage
    // must not take every gateway out of the load balancer at once.
    readiness: {},
    // The gateway streams bodies through untouched; it enforces size and type itself.
    parseJson: false,
    routes: (app, kit) => mountGatewayRoutes(app, deps, kit.registry),
  });
}

export interface StartGatewayOptions {
  /** A test passes its own to read the lines; otherwise JSON to stdout. */
  logger?: Logger;
}

/** Builds every client from config, starts listening, and returns a handle that stops it all. */
export async function startGateway(
  config: GatewayConfig,
  options: StartGatewayOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const { deps, cleanups } = connectDependencies(config, logger);
  let running: RunningServer;
  try {
    running = await startServer(createGatewayApp(deps), {
      port: config.port,
      host: config.host,
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
  logger.info({ port: running.port, upstreams: configuredNames(config) }, 'gateway listening');
  return running;
}

/** Every client the gateway holds, and how to release them (in reverse order, after the last request). */
function connectDependencies(
  config: GatewayConfig,
  logger: Logger,
): { deps: GatewayDeps; cleanups: Array<() => Promise<unknown>> } {
  const openapi = loadOpenApiDocument();
  const redis = createRedis({ url: config.redisUrl, logger });
  const serviceClients = createServiceClients(config);
  const userClient = serviceClients.get('user');
  if (!userClient) throw new Error('USER_SERVICE_URL is required: the gateway verifies tokens with its JWKS');
  const verifier = new TokenVerifier({
    keys: new RemoteJwks({
      client: userClient,
      path: '/api/auth/jwks',
      minRefreshIntervalMs: config.jwt.minRefreshIntervalMs,
      logger,
    }),
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  });
  const upstreams = new UpstreamPools(config.upstreams, {
    connections: config.upstreamConnections,
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
  });
  const deps: GatewayDeps = {
    config,
    logger,
    redis,
    rateLimitStore: new RedisRateLimitStore(redis, {
      keyPrefix: config.rateLimits.keyPrefix,
      timeoutMs: config.rateLimits.redisTimeoutMs,
    }),
    verifier,
    upstreams,
    health: new UpstreamHealth(serviceClients, config.upstreamHealthTimeoutMs, logger),
    openapi,
  };
  const cleanups = [
    () => closeRedis(redis),
    () => Promise.all([...serviceClients.values()].map((client) => client.close())),
    () => upstreams.close(),
  ];
  return { deps, cleanups };
}

/** Small JSON clients per upstream, for health probes (and the user service's JWKS). */
function createServiceClients(config: GatewayConfig): Map<UpstreamName, ServiceClient> {
  const clients = new Map<UpstreamName, ServiceClient>();
  for (const name of UPSTREAM_NAMES) {
    const baseUrl = config.upstreams[name];
    if (baseUrl) clients.set(name, new ServiceClient({ name, baseUrl, timeoutMs: 2_000, connections: 4 }));
  }
  return clients;
}

function configuredNames(config: GatewayConfig): UpstreamName[] {
  return UPSTREAM_NAMES.filter((name) => config.upstreams[name] !== undefined);
}

/** QUIT waits for Redis; when it is unreachable there is nothing to wait for. */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
