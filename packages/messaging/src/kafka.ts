import { Kafka, logLevel as KafkaLogLevel, type Admin, type SASLOptions } from 'kafkajs';
import type { Logger } from '@surge/logger';

export type { Kafka } from 'kafkajs';

/** A SCRAM principal: its name and password (from the service's config, KAFKA_SASL_*). */
export interface KafkaCredentials {
  username: string;
  password: string;
}

export interface CreateKafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Authenticate as this principal; without it the client speaks PLAINTEXT, no SASL. */
  sasl?: KafkaCredentials | undefined;
}

/**
 * SASL/SCRAM-SHA-512 over the broker's SASL_PLAINTEXT listener. SCRAM rather than PLAIN:
 * the password never crosses the wire, and the broker keeps only salted hashes.
 */
export function scramSasl(credentials: KafkaCredentials): SASLOptions {
  return { mechanism: 'scram-sha-512', username: credentials.username, password: credentials.password };
}

/** kafkajs with its log lines routed into the service's pino logger. */
export function createKafka(options: CreateKafkaOptions): Kafka {
  const log = options.logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.sasl ? { sasl: scramSasl(options.sasl) } : {}),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...fields } = entry.log;
      const level =
        entry.level === KafkaLogLevel.ERROR ? 'error' : entry.level === KafkaLogLevel.WARN ? 'warn' : 'debug';
      log[level]({ ...fields, namespace: entry.namespace }, message);
    },
  });
}

/**
 * Creates topics (and their dead-letter topics) when missing. At least 6 partitions,
 * so up to six consumer instances of a group share the work.
 *
 * On a broker with ACLs, services hold no CREATE permission: the admin principal creates
 * every topic when the broker is provisioned (infra/stack/src/native/kafka-security.ts,
 * the compose and Kubernetes Kafka start scripts). Granting CREATE instead would let a
 * service pick the partitions and settings of topics others depend on, and a consumer
 * would need CREATE on the dead-letter topics of another service's events; provisioning
 * needs the admin anyway for the ACLs. A refused create is therefore expected there and
 * tolerated: a principal sees only the topics it may use, so "missing" may mean "not
 * ours to see". If a topic really is missing, the producer or subscription that needs
 * it fails loudly with UNKNOWN_TOPIC_OR_PARTITION. On a broker without ACLs (an
 * external development broker) and for the test principal this still creates them.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], partitions = 6): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = topics.flatMap((topic) => [topic, `${topic}.dlq`]).filter((topic) => !existing.has(topic));
    if (wanted.length > 0) {
      await admin
        .createTopics({
          waitForLeaders: true,
          topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        })
        .catch((error: unknown) => {
          if (!isAuthorizationError(error)) throw error;
        });
    }
  } finally {
    await admin.disconnect();
  }
}

const AUTHORIZATION_ERRORS = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
]);

/**
 * A broker's refusal for lack of an ACL. kafkajs reports a createTopics refusal as an
 * aggregate of per-topic protocol errors, other requests as one protocol error.
 */
export function isAuthorizationError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { type, errors } = error as { type?: unknown; errors?: unknown };
  if (typeof type === 'string' && AUTHORIZATION_ERRORS.has(type)) return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isAuthorizationError(inner));
}
