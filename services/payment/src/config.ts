import { z } from 'zod';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@surge/auth';
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
} from '@surge/config';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  ...baseServiceEnv,
  /** Breakers of the clients of other services (docs/resilience.md). */
  ...upstreamBreakerEnv,
  PORT: port(3004),
  DATABASE_URL: postgresUrl,
  /** Optional: without brokers the outbox keeps events until a relay with Kafka runs. */
  KAFKA_BROKERS: brokerList.optional(),
  /** This service's Kafka principal (SASL/SCRAM-SHA-512); required in production. */
  ...kafkaSaslEnv,
  OUTBOX_RELAY: booleanFlag(true),
  /** Tokens are verified against the user service's JWKS. */
  USER_SERVICE_URL: serviceUrls.default('http://127.0.0.1:3001'),
  JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
  JWT_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  PAYMENT_PROVIDER_URL: serviceUrls.default('http://127.0.0.1:3010'),
  /** Budget of one provider call; past it the outcome is unknown (504) and the caller retries. */
  PAYMENT_PROVIDER_TIMEOUT_MS: positiveInt(2_000),
  RECONCILER: booleanFlag(true),
  RECONCILE_INTERVAL_MS: positiveInt(5_000),
  /** A PENDING attempt younger than this may still get its answer; the reconciler leaves it alone. */
  RECONCILE_MIN_AGE_MS: z.coerce.number().int().min(0).default(10_000),
  /** How long a cancelled order that had a charge attempt is watched for a capture landing late. */
  RECONCILE_CANCELLED_WINDOW_MS: positiveInt(3_600_000),
  RECONCILE_BATCH_SIZE: positiveInt(50),
});

export type PaymentConfig = Readonly<z.infer<typeof schema>>;

export function loadConfig(env: Record<string, string | undefined>): PaymentConfig {
  return parseConfig(schema, env);
}
