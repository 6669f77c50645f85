import { z } from 'zod';
import {
  DEVELOPMENT_CLIENT_SECRET_PATTERN,
  clientSecretProblems,
  developmentClientSecret,
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

/** Its OAuth client id at the user service, and the `sub` of its service tokens. */
export const CLIENT_ID = 'order';

const fields = z.object({
  ...baseServiceEnv,
  PORT: port(3003),
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
  KAFKA_BROKERS: brokerList.optional(),
  /** This service's Kafka principal (SASL/SCRAM-SHA-512); required in production. */
  ...kafkaSaslEnv,
  OUTBOX_RELAY: booleanFlag(true),
  USER_SERVICE_URL: serviceUrls,
  PRODUCT_SERVICE_URL: serviceUrls,
  PAYMENT_SERVICE_URL: serviceUrls,
  JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
  JWT_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  PRODUCT_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_000),
  /** Above the payment service's own provider timeout, so its answer wins over ours. */
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(50).default(4_000),
  /** Circuit breakers of the product, payment and user clients (docs/resilience.md, seed 001). */
  ...upstreamBreakerEnv,
  CART_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 86_400),
  CHECKOUT_LEASE_SECONDS: z.coerce.number().int().min(1).default(30),
  WORKER_LEASE_SECONDS: z.coerce.number().int().min(1).default(5),
  PAYMENT_DEADLINE_SECONDS: z.coerce.number().int().min(1).default(120),
  PAYMENT_RETRY_BASE_MS: z.coerce.number().int().min(10).default(500),
  PAYMENT_RETRY_MAX_MS: z.coerce.number().int().min(10).default(10_000),
  WORKER_INTERVAL_MS: z.coerce.number().int().min(10).default(1_000),
  RECOVERY_WORKER: booleanFlag(true),
  /**
   * Its client secret for service tokens (calls to product and payment need one, see
   * docs/security.md). Development derives a published one; production must set its own.
   */
  SERVICE_CLIENT_SECRET: z
    .string({ error: 'required: the client secret of its service tokens (docs/security.md)' })
    .min(16)
    .max(512),
});

const schema = fields.superRefine((env, ctx) => {
  if (env.NODE_ENV !== 'production') return;
  const secret = env.SERVICE_CLIENT_SECRET;
  const credential = {
    isDevelopmentValue: DEVELOPMENT_CLIENT_SECRET_PATTERN.test(secret),
    secretLength: secret.length,
  };
  for (const message of clientSecretProblems(credential, 'it'))
    ctx.addIssue({
      code: 'custom',
      path: ['SERVICE_CLIENT_SECRET'],
      message: `production refuses: ${message}`,
    });
});

export type OrderConfig = Readonly<z.infer<typeof schema>>;

/** Outside production a missing client secret is the published development one. */
export function loadConfig(env: Record<string, string | undefined>): OrderConfig {
  const withDefaults = { ...env };
  if ((env.NODE_ENV ?? 'development') !== 'production')
    withDefaults.SERVICE_CLIENT_SECRET ||= developmentClientSecret(CLIENT_ID);
  return parseConfig(schema, withDefaults);
}
