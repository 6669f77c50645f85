import { z } from 'zod';
import {
  baseServiceEnv,
  upstreamBreakerEnv,
  booleanFlag,
  brokerList,
  kafkaSaslEnv,
  serviceUrls,
  parseConfig,
  port,
  postgresUrl,
  redisUrl,
} from '@surge/config';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@surge/auth';

/** `KAFKA_BROKERS=` (compose's "not there yet") means unset, not invalid. */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  ...baseServiceEnv,
  /** Breakers of the clients of other services (docs/resilience.md). */
  ...upstreamBreakerEnv,
  PORT: port(3002),
  DATABASE_URL: postgresUrl,
  PG_POOL_MAX: int(1, 200, 10),
  REDIS_URL: redisUrl,
  /**
   * Every cache key starts with it; tests give each instance its own. Under `product:`,
   * the only keys the product service's Redis user may touch (docs/security.md).
   */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^product:[\w.:-]{0,56}$/, 'must start with product: (its Redis user may touch nothing else)')
    .default('product:'),
  /** Optional: without brokers the outbox keeps events until a relay with Kafka runs. */
  KAFKA_BROKERS: z.preprocess(emptyAsUnset, brokerList.optional()),
  /** This service's Kafka principal (SASL/SCRAM-SHA-512); required in production. */
  ...kafkaSaslEnv,
  OUTBOX_RELAY: booleanFlag(true),
  /** Tokens are verified against the user service's JWKS at `/api/auth/jwks`. */
  USER_SERVICE_URL: z.preprocess(emptyAsUnset, serviceUrls.default('http://127.0.0.1:3001')),
  JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
  JWT_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  JWKS_MIN_REFRESH_INTERVAL_MS: int(100, 3_600_000, 10_000),
  /** Seeds the deterministic development catalog at start (idempotent). */
  SEED_CATALOG: booleanFlag(false),
  SEED_CATALOG_SIZE: int(1_000, 1_000_000, 1_200),
  PRODUCT_CACHE_TTL_SECONDS: int(1, 86_400, 300),
  /** Short: a list page is also dropped by any catalog write, the TTL only bounds a lost bump. */
  LIST_CACHE_TTL_SECONDS: int(1, 3_600, 60),
  /** How long the stale copy of each cache entry is kept, to answer from while the database is down. */
  STALE_CACHE_TTL_SECONDS: int(1, 30 * 86_400, 86_400),
  /** A cache slower than this is skipped: the database answers instead. */
  CACHE_TIMEOUT_MS: int(10, 5_000, 150),
});

export type ProductConfig = Readonly<z.infer<typeof schema>>;

export function loadConfig(env: Record<string, string | undefined>): ProductConfig {
  return parseConfig(schema, env);
}

const seedSchema = z.object({
  DATABASE_URL: postgresUrl,
  SEED_CATALOG_SIZE: schema.shape.SEED_CATALOG_SIZE,
  LOG_LEVEL: baseServiceEnv.LOG_LEVEL,
  /** Optional: when given, cached list pages are retired after seeding. */
  REDIS_URL: redisUrl.optional(),
  REDIS_KEY_PREFIX: schema.shape.REDIS_KEY_PREFIX,
});

export type SeedConfig = Readonly<z.infer<typeof seedSchema>>;

/** The seed script needs only the database (and, optionally, the cache to refresh). */
export function loadSeedConfig(env: Record<string, string | undefined>): SeedConfig {
  return parseConfig(seedSchema, env);
}
