import { TOPICS } from '@surge/contracts';
import type { Logger } from '@surge/logger';
import type { Pool } from 'pg';
import { createKafka, ensureTopics, type KafkaCredentials } from './kafka';
import { OutboxRelay } from './outbox-relay';

export interface StartOutboxRelayOptions {
  service: string;
  pool: Pool;
  /** No brokers configured: events wait in the outbox until a relay with Kafka runs. */
  brokers: readonly string[] | undefined;
  /** The service's SCRAM principal (KAFKA_SASL_*); none for a broker without authentication. */
  sasl?: KafkaCredentials | undefined;
  enabled?: boolean;
  logger: Logger;
}

/**
 * Starts a service's outbox relay. Topics are ensured in the background: a broker that
 * is down must not stop the service starting, since the outbox keeps every event.
 */
export async function startOutboxRelay(options: StartOutboxRelayOptions): Promise<OutboxRelay | undefined> {
  if (!options.brokers || options.brokers.length === 0 || options.enabled === false) return undefined;
  const { service, pool, logger } = options;
  const kafka = createKafka({ brokers: [...options.brokers], clientId: service, logger, sasl: options.sasl });
  ensureTopics(kafka, TOPICS).catch((error: unknown) =>
    logger.warn({ err: error }, 'could not ensure Kafka topics yet'),
  );
  const relay = new OutboxRelay({
    pool,
    kafka,
    logger: logger.child({ component: 'outbox-relay' }),
    lockKey: `${service}-outbox`,
  });
  await relay.start();
  return relay;
}
