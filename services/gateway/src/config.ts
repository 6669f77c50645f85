import { z } from 'zod';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@surge/auth';
import { baseServiceEnv, httpUrl, parseConfig, port, redisUrl } from '@surge/config';
import type { RateLimitPolicies } from './domain/rate-limit-policy';
import type { UpstreamName } from './domain/route-table';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Compose files often write `PRODUCT_SERVICE_URL=` for "not there yet"; that means unset. */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const optionalUpstream = z.preprocess(emptyAsUnset, httpUrl.optional());

const gatewayEnv = z
  .object({
    ...baseServiceEnv,
    PORT: port(8080),
    REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
    /** The identity service is always there: the gateway needs its JWKS. */
    USER_SERVICE_URL: z.preprocess(emptyAsUnset, httpUrl.default('http://127.0.0.1:3001')),
    PRODUCT_SERVICE_URL: optionalUpstream,
    ORDER_SERVICE_URL: optionalUpstream,
    PAYMENT_SERVICE_URL: optionalUpstream,
    NOTIFICATION_SERVICE_URL: optionalUpstream,
    UPSTREAM_TIMEOUT_MS: positiveInt(5_000),
    UPSTREAM_CONNECT_TIMEOUT_MS: positiveInt(2_000),
    UPSTREAM_CONNECTIONS: positiveInt(64),
    UPSTREAM_HEALTH_TIMEOUT_MS: positiveInt(1_000),
    BODY_LIMIT_BYTES: positiveInt(1_048_576),
    /** How many proxies in front of the gateway may be believed about the client address (X-Forwarded-For). */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
    JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
    JWT_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
    JWKS_MIN_REFRESH_INTERVAL_MS: positiveInt(10_000),
    RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('gw:rl:'),
    RATE_LIMIT_REDIS_TIMEOUT_MS: positiveInt(250),
    RATE_LIMIT_USER_MAX: positiveInt(1_000),
    RATE_LIMIT_USER_WINDOW_MS: positiveInt(1_000),
    RATE_LIMIT_IP_MAX: positiveInt(100),
    RATE_LIMIT_IP_WINDOW_MS: positiveInt(1_000),
    RATE_LIMIT_CREDENTIALS_MAX: positiveInt(10),
    RATE_LIMIT_CREDENTIALS_WINDOW_MS: positiveInt(60_000),
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    redisUrl: env.REDIS_URL,
    upstreams: {
      user: env.USER_SERVICE_URL,
      product: env.PRODUCT_SERVICE_URL,
      order: env.ORDER_SERVICE_URL,
      payment: env.PAYMENT_SERVICE_URL,
      notification: env.NOTIFICATION_SERVICE_URL,
    } satisfies Record<UpstreamName, string | undefined>,
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
    upstreamConnectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
    upstreamConnections: env.UPSTREAM_CONNECTIONS,
    upstreamHealthTimeoutMs: env.UPSTREAM_HEALTH_TIMEOUT_MS,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    jwt: {
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      minRefreshIntervalMs: env.JWKS_MIN_REFRESH_INTERVAL_MS,
    },
    rateLimits: {
      keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
      redisTimeoutMs: env.RATE_LIMIT_REDIS_TIMEOUT_MS,
      policies: {
        user: { max: env.RATE_LIMIT_USER_MAX, windowMs: env.RATE_LIMIT_USER_WINDOW_MS },
        ip: { max: env.RATE_LIMIT_IP_MAX, windowMs: env.RATE_LIMIT_IP_WINDOW_MS },
        credentials: { max: env.RATE_LIMIT_CREDENTIALS_MAX, windowMs: env.RATE_LIMIT_CREDENTIALS_WINDOW_MS },
      } satisfies RateLimitPolicies,
    },
  }));

export type GatewayConfig = Readonly<z.infer<typeof gatewayEnv>>;

/** Every problem with the environment at once; main.ts is the only caller that passes process.env. */
export function loadConfig(env: Record<string, string | undefined>): GatewayConfig {
  return parseConfig(gatewayEnv, env);
}
