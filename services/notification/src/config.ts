import { z } from 'zod';
import {
  baseServiceEnv,
  upstreamBreakerEnv,
  brokerList,
  kafkaSaslEnv,
  parseConfig,
  port,
  postgresUrl,
  serviceUrls,
  url,
} from '@surge/config';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@surge/auth';

const schema = z.object({
  ...baseServiceEnv,
  /** Breakers of the clients of other services (docs/resilience.md). */
  ...upstreamBreakerEnv,
  PORT: port(3005),
  DATABASE_URL: postgresUrl,
  /** Consuming events is this service's job, so Kafka is required (unlike the user service's relay). */
  KAFKA_BROKERS: brokerList,
  /** This service's Kafka principal (SASL/SCRAM-SHA-512); required in production. */
  ...kafkaSaslEnv,
  /** The consumer group reading users, orders and payments. Tests give each file its own. */
  CONSUMER_GROUP: z
    .string()
    .regex(/^[\w.-]{1,200}$/)
    .default('notification'),
  /**
   * Attempts per event (transient failures) before it goes to `<topic>.dlq`. 8 is the most
   * the consumer's backoff allows inside Kafka's 30 s session timeout; see
   * entry-points/kafka/event-consumer.ts.
   */
  EVENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(8).default(8),
  /** Tokens are verified against the user service's JWKS. */
  USER_SERVICE_URL: serviceUrls.default('http://127.0.0.1:3001'),
  JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
  JWT_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  /** smtp://[user:pass@]host:port (Mailpit natively: smtp://127.0.0.1:1025), or smtps:// */
  SMTP_URL: url(['smtp:', 'smtps:']),
  MAIL_FROM: z.string().min(3).max(200).default('Surge <no-reply@surge.local>'),
  /** Per SMTP step (connect, greeting, each command): a hung server must not hold a consumer. */
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  /** How often unsent notifications (SMTP was down, or the process died mid-send) are retried. */
  SEND_RETRY_INTERVAL_MS: z.coerce.number().int().min(50).default(5_000),
  /** Send attempts per notification before it is marked FAILED. */
  SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
});

export type NotificationConfig = Readonly<z.infer<typeof schema>>;

export function loadConfig(env: Record<string, string | undefined>): NotificationConfig {
  return parseConfig(schema, env);
}
