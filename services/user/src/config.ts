import { z } from 'zod';
import {
  baseServiceEnv,
  booleanFlag,
  brokerList,
  kafkaSaslEnv,
  clientSecretList,
  clientSecretProblems,
  developmentClientSecret,
  parseConfig,
  port,
  postgresUrl,
  redisUrl,
} from '@surge/config';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@surge/auth';

/** Documented development defaults; production refuses to start with them. */
export const DEV_ADMIN_EMAIL = 'admin@surge.local';
export const DEV_ADMIN_PASSWORD = 'surge-admin-dev';
/** The services that call others' internal routes, and get development client secrets. */
export const DEV_SERVICE_CLIENTS = ['order'];

const schema = z
  .object({
    ...baseServiceEnv,
    PORT: port(3001),
    DATABASE_URL: postgresUrl,
    REDIS_URL: redisUrl,
    /** Optional: without brokers the outbox keeps events until a relay with Kafka runs. */
    KAFKA_BROKERS: brokerList.optional(),
    /** This service's Kafka principal (SASL/SCRAM-SHA-512); required in production. */
    ...kafkaSaslEnv,
    OUTBOX_RELAY: booleanFlag(true),
    JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
    JWT_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(30 * 86_400),
    /** PEM of the RS256 signing key; or a file holding it. Development generates one. */
    JWT_PRIVATE_KEY: z.string().optional(),
    JWT_PRIVATE_KEY_FILE: z.string().optional(),
    /** Public keys (`<kid>.pem`) of earlier signing keys, published in the JWKS until retired. */
    JWT_PREVIOUS_KEYS_DIR: z.string().optional(),
    JWT_KEY_ID: z
      .string()
      .regex(/^[\w.-]{1,64}$/)
      .optional(),
    /** Where development keys are generated on first start (an ignored folder). */
    DEV_KEYS_DIR: z.string().default('.surge/keys/user'),
    /**
     * scrypt cost as log2(N); 17 (OWASP's minimum: N = 2^17, r = 8, p = 1) = 128 MiB per
     * hash; CPU per login measured by `npm run bench -- login-cost` (docs/results).
     */
    PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(17),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
    PROFILE_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
    /** Per-account login throttle (domain/login-throttle.ts). */
    LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).default(5),
    /** The first back-off after the free failures; it doubles with each failure after. */
    LOGIN_BACKOFF_BASE_MS: z.coerce.number().int().min(100).default(1_000),
    LOGIN_MAX_BACKOFF_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(15 * 60_000),
    LOGIN_ACCOUNT_FAILURE_CAP: z.coerce.number().int().min(1).default(20),
    /** How long a login waits for the throttle's Redis before failing closed (503). */
    LOGIN_THROTTLE_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(500),
    LOGIN_ACCOUNT_WINDOW_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(60 * 60_000),
    /**
     * Service clients (OAuth 2.0 client credentials): `order=sha256:<hex>` (a digest, so
     * this service never holds the secret) or `order=<secret>`. Development derives one
     * per DEV_SERVICE_CLIENTS entry; production needs them configured (docs/security.md).
     */
    SERVICE_CLIENT_SECRETS: z.string().default('').pipe(clientSecretList),
    /** The services a token may be asked for: those with internal routes. */
    SERVICE_TOKEN_AUDIENCES: z
      .string()
      .default('product,payment')
      .transform((value) =>
        value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      ),
    /** Service tokens live minutes: callers cache them and ask again before expiry. */
    SERVICE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3_600).default(300),
    /** Failed client authentications per caller address per window, then 429 (token endpoint). */
    SERVICE_TOKEN_FAILURE_LIMIT: z.coerce.number().int().min(1).default(10),
    SERVICE_TOKEN_FAILURE_WINDOW_MS: z.coerce.number().int().min(1_000).default(60_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const clients = Object.entries(env.SERVICE_CLIENT_SECRETS);
    if (clients.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['SERVICE_CLIENT_SECRETS'],
        message: 'production needs the service clients (order=sha256:<hex>, ...)',
      });
    for (const [name, credential] of clients)
      for (const message of clientSecretProblems(credential, name))
        ctx.addIssue({ code: 'custom', path: ['SERVICE_CLIENT_SECRETS'], message });
    if (!env.JWT_PRIVATE_KEY && !env.JWT_PRIVATE_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_PRIVATE_KEY'],
        message: 'production needs a configured signing key (JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE)',
      });
    }
    if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'production needs ADMIN_EMAIL and ADMIN_PASSWORD',
      });
    } else if (env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'production refuses the development default admin password',
      });
    }
  });

export type UserConfig = Readonly<z.infer<typeof schema>>;

/** Development fills in the documented admin and client secrets; production must configure its own. */
export function loadConfig(env: Record<string, string | undefined>): UserConfig {
  const withDefaults = { ...env };
  if ((env.NODE_ENV ?? 'development') === 'development') {
    withDefaults.ADMIN_EMAIL ??= DEV_ADMIN_EMAIL;
    withDefaults.ADMIN_PASSWORD ??= DEV_ADMIN_PASSWORD;
  }
  if ((env.NODE_ENV ?? 'development') !== 'production')
    withDefaults.SERVICE_CLIENT_SECRETS ||= DEV_SERVICE_CLIENTS.map(
      (name) => `${name}=${developmentClientSecret(name)}`,
    ).join(',');
  return parseConfig(schema, withDefaults);
}
