import { z } from 'zod';

/**
 * Building blocks every service's config schema reuses, so `PORT`, `DATABASE_URL` and
 * friends mean the same thing everywhere (native, docker compose, Kubernetes).
 */
export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL with protocol ${protocols.join(' or ')}`,
  );

export const postgresUrl = url(['postgres:', 'postgresql:']);
export const redisUrl = url(['redis:', 'rediss:']);
export const httpUrl = url(['http:', 'https:']);

/** One entry of a service address list: an instance or DNS name, or an addresses file. */
export const serviceUrl = url(['http:', 'https:', 'file:']);

/**
 * `<NAME>_SERVICE_URL`: where the instances of a service are. One or more URLs,
 * comma-separated: literal addresses, DNS names that stand for several instances, or
 * `file://` addresses files the native stack keeps current (docs/gateway.md). Kept as
 * the string it is; the service client reads it.
 */
export const serviceUrls = z.string().refine((value) => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length > 0 && entries.every((entry) => serviceUrl.safeParse(entry).success);
}, 'must be one or more http(s):// or file:// URLs, separated by commas');

/** A comma-separated list of `host:port`, as Kafka clients take it. */
export const brokerList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine(
    (list) => list.length > 0 && list.every((entry) => /^[\w.-]+:\d+$/.test(entry)),
    'must be host:port[,host:port...]',
  );

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/**
 * How a service writes its log lines (packages/logger, `batchedStdout`). With
 * LOG_BATCH_BYTES above 0 lines are held until about that many bytes wait, then written
 * with one write, a partial batch after LOG_FLUSH_INTERVAL_MS (a line appears within it:
 * people watch `npm start` and `tail -f` live), and on every exit. Off by default: on a
 * busy 2-core machine the gateway with batches served fewer requests per second at more
 * CPU per request than with pino's line-by-line writes (docs/results/hot-path.md, "The
 * access log written in batches"); turn it on where a quiet machine's A/B says it pays.
 * At most 64 KiB, what a pipe holds.
 */
export const logBatchEnv = {
  LOG_BATCH_BYTES: z.coerce.number().int().min(0).max(65_536).default(0),
  LOG_FLUSH_INTERVAL_MS: z.coerce.number().int().min(1).max(10_000).default(100),
};

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/** The variables every HTTP service reads. */
export const baseServiceEnv = {
  NODE_ENV: nodeEnv,
  HOST: z.string().default('127.0.0.1'),
  /**
   * The admin listener (readiness details, /metrics, /_control/faults): never on the
   * public port. Loopback by default; the pod's address (0.0.0.0) in compose and
   * Kubernetes, where Prometheus scrapes it and NetworkPolicies fence it.
   */
  ADMIN_HOST: z.string().default('127.0.0.1'),
  /** Default: PORT + 1000 (0 when PORT is 0), see http-kit's adminPortFor. */
  ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  LOG_LEVEL: logLevel,
  ...logBatchEnv,
  /** How long in-flight requests may take to finish after SIGTERM. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * Development only: `/_control/faults` (latency, errors, hangs, lost answers; see
   * http-kit). Off unless set; parseConfig refuses it with NODE_ENV=production.
   */
  FAULT_INJECTION: booleanFlag(false),
};
