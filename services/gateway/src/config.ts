import { z } from 'zod';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@surge/auth';
import { baseServiceEnv, booleanFlag, parseConfig, port, redisUrl, serviceUrl } from '@surge/config';
import { type EjectionPolicy, splitUrlList } from '@surge/http-client';
import type { RateLimitPolicies } from './domain/rate-limit-policy';
import type { UpstreamName } from './domain/route-table';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/**
 * `<NAME>_SERVICE_URL`: one URL, or several separated by commas, one per instance. A
 * URL whose host is a DNS name stands for every address the name resolves to; a
 * `file://` URL names an addresses file, re-read as often as DNS (docs/gateway.md).
 */
const urlList = z
  .string()
  .transform(splitUrlList)
  .pipe(z.array(serviceUrl).min(1, 'must name at least one URL'));

/** Compose files often write `PRODUCT_SERVICE_URL=` for "not there yet"; that means unset. */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const optionalUpstream = z.preprocess(emptyAsUnset, urlList.optional());

const gatewayEnv = z
  .object({
    ...baseServiceEnv,
    PORT: port(8080),
    REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
    /** The identity service is always there: the gateway needs its JWKS. */
    USER_SERVICE_URL: z.preprocess(emptyAsUnset, urlList.default(['http://127.0.0.1:3001'])),
    PRODUCT_SERVICE_URL: optionalUpstream,
    ORDER_SERVICE_URL: optionalUpstream,
    PAYMENT_SERVICE_URL: optionalUpstream,
    NOTIFICATION_SERVICE_URL: optionalUpstream,
    /** The storefront's pages; unset: `/` and every other page path answer 404 as before. */
    STOREFRONT_SERVICE_URL: optionalUpstream,
    UPSTREAM_TIMEOUT_MS: positiveInt(5_000),
    UPSTREAM_CONNECT_TIMEOUT_MS: positiveInt(2_000),
    UPSTREAM_CONNECTIONS: positiveInt(64),
    UPSTREAM_RESOLVE_INTERVAL_MS: positiveInt(5_000),
    UPSTREAM_HEALTH_INTERVAL_MS: positiveInt(2_000),
    UPSTREAM_HEALTH_TIMEOUT_MS: positiveInt(1_000),
    UPSTREAM_UNHEALTHY_THRESHOLD: positiveInt(3),
    UPSTREAM_HEALTHY_THRESHOLD: positiveInt(2),
    UPSTREAM_EJECTION_FAILURES: positiveInt(3),
    UPSTREAM_EJECTION_BASE_MS: positiveInt(10_000),
    UPSTREAM_EJECTION_MAX_MS: positiveInt(120_000),
    UPSTREAM_MAX_EJECTED_PERCENT: z.coerce.number().int().min(0).max(100).default(50),
    /** GET /health names instances by id; addresses only on request (the contract keeps them private). */
    HEALTH_SHOW_INSTANCE_ADDRESSES: booleanFlag(false),
    LOAD_SHED_MAX_INFLIGHT: positiveInt(256),
    LOAD_SHED_MAX_QUEUED: nonNegativeInt(64),
    LOAD_SHED_QUEUE_TIMEOUT_MS: nonNegativeInt(50),
    LOAD_SHED_RETRY_AFTER_SECONDS: positiveInt(1),
    BODY_LIMIT_BYTES: positiveInt(1_048_576),
    /**
     * Origins (scheme://host[:port], comma-separated) whose pages may call the API from a
     * browser. Empty by default: no CORS at all.
     */
    CORS_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(/^https?:\/\/[^/\s*]+$/, 'must be an origin: scheme://host[:port], no path, no wildcard'),
        ),
      ),
    /** How many proxies in front of the gateway may be believed about the client address (X-Forwarded-For). */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
    JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
    JWT_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
    JWKS_MIN_REFRESH_INTERVAL_MS: positiveInt(10_000),
    /** After the client's own `gateway:` prefix, the one the gateway's Redis user is limited to. */
    RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('rl:'),
    RATE_LIMIT_REDIS_TIMEOUT_MS: positiveInt(250),
    RATE_LIMIT_USER_MAX: positiveInt(1_000),
    RATE_LIMIT_USER_WINDOW_MS: positiveInt(1_000),
    RATE_LIMIT_IP_MAX: positiveInt(100),
    RATE_LIMIT_IP_WINDOW_MS: positiveInt(1_000),
    RATE_LIMIT_CREDENTIALS_MAX: positiveInt(10),
    RATE_LIMIT_CREDENTIALS_WINDOW_MS: positiveInt(60_000),
    /** Refused tokens (junk, forged, expired) per client address and window, before its tokens go unread. */
    RATE_LIMIT_BAD_TOKEN_MAX: positiveInt(20),
    RATE_LIMIT_BAD_TOKEN_WINDOW_MS: positiveInt(60_000),
  })
  .refine((env) => env.UPSTREAM_EJECTION_MAX_MS >= env.UPSTREAM_EJECTION_BASE_MS, {
    message: 'must be at least UPSTREAM_EJECTION_BASE_MS',
    path: ['UPSTREAM_EJECTION_MAX_MS'],
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    adminHost: env.ADMIN_HOST,
    adminPort: env.ADMIN_PORT,
    logLevel: env.LOG_LEVEL,
    logBatching: { bytes: env.LOG_BATCH_BYTES, flushIntervalMs: env.LOG_FLUSH_INTERVAL_MS },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    faultInjection: env.FAULT_INJECTION,
    redisUrl: env.REDIS_URL,
    upstreams: {
      user: env.USER_SERVICE_URL,
      product: env.PRODUCT_SERVICE_URL,
      order: env.ORDER_SERVICE_URL,
      payment: env.PAYMENT_SERVICE_URL,
      notification: env.NOTIFICATION_SERVICE_URL,
      storefront: env.STOREFRONT_SERVICE_URL,
    } satisfies Record<UpstreamName, readonly string[] | undefined>,
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
    upstreamConnectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
    upstreamConnections: env.UPSTREAM_CONNECTIONS,
    upstreamResolveIntervalMs: env.UPSTREAM_RESOLVE_INTERVAL_MS,
    upstreamHealth: {
      path: '/health/ready',
      intervalMs: env.UPSTREAM_HEALTH_INTERVAL_MS,
      timeoutMs: env.UPSTREAM_HEALTH_TIMEOUT_MS,
      unhealthyThreshold: env.UPSTREAM_UNHEALTHY_THRESHOLD,
      healthyThreshold: env.UPSTREAM_HEALTHY_THRESHOLD,
      showAddresses: env.HEALTH_SHOW_INSTANCE_ADDRESSES,
    },
    ejection: {
      consecutiveFailures: env.UPSTREAM_EJECTION_FAILURES,
      baseMs: env.UPSTREAM_EJECTION_BASE_MS,
      maxMs: env.UPSTREAM_EJECTION_MAX_MS,
      maxEjectedPercent: env.UPSTREAM_MAX_EJECTED_PERCENT,
    } satisfies EjectionPolicy,
    loadShedding: {
      maxInflight: env.LOAD_SHED_MAX_INFLIGHT,
      maxQueued: env.LOAD_SHED_MAX_QUEUED,
      maxWaitMs: env.LOAD_SHED_QUEUE_TIMEOUT_MS,
      retryAfterSeconds: env.LOAD_SHED_RETRY_AFTER_SECONDS,
    },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    corsAllowedOrigins: env.CORS_ALLOWED_ORIGINS,
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
      badTokens: { max: env.RATE_LIMIT_BAD_TOKEN_MAX, windowMs: env.RATE_LIMIT_BAD_TOKEN_WINDOW_MS },
    },
  }));

export type GatewayConfig = Readonly<z.infer<typeof gatewayEnv>>;

/** Every problem with the environment at once; main.ts is the only caller that passes process.env. */
export function loadConfig(env: Record<string, string | undefined>): GatewayConfig {
  return parseConfig(gatewayEnv, env);
}
