import { KAFKA_ACCESS } from '@surge/contracts';
import type { Logger } from '@surge/logger';
import { EventConsumer, type CloudEvent, type Kafka } from '@surge/messaging';
import type { DeliveryDeps } from '../../domain/deliver-notification';
import { notifyForEvent } from '../../domain/notify-for-event';

export interface EventConsumerDeps {
  kafka: Kafka;
  logger: Logger;
  delivery: DeliveryDeps;
  /** CONSUMER_GROUP (`notification`; tests give each file its own). */
  groupId: string;
  maxAttempts: number;
  onDeadLetter?: (topic: string) => void;
}

/** What this service may read (its Kafka ACLs are generated from the same table). */
export const CONSUMED_TOPICS = KAFKA_ACCESS.notification.consumes.topics;

/**
 * One consumer group for `users`, `orders` and `payments`.
 *
 * An order or payment event whose user is not projected yet is parked, not retried in
 * place (domain/notify-for-event.ts). Retrying in place (throw, back off, dead-letter
 * after N attempts) holds the partition, and since kafkajs hands this consumer one
 * message at a time, every other partition too, for the whole retry window; with one
 * consumer for all topics it would even hold back the very `user.registered` it waits
 * for. No bound fits: a short one dead-letters ordinary races, a long one stalls all
 * mail for seconds per event, and events of users who never register are common here
 * (other services' tests publish orders for random user ids): the first version, with 8
 * attempts, dead-lettered 34 of them on one `stack up`, stalling ~10 s each. Parked,
 * such an event costs one insert and waits for its user for as long as it takes.
 *
 * The retry bound (EVENT_MAX_ATTEMPTS, default 8) therefore only covers transient
 * failures: Postgres restarting or failing over, which takes seconds. EventConsumer
 * waits a random 0..min(5 s, 100 ms * 2^n) after failure n: the default 5 attempts ride
 * out ~3 s on average, 8 attempts ~10 s (21 s at most), enough for a restart, so healthy
 * events are not dead-lettered by a blip. Not more: kafkajs heartbeats only between
 * messages and the session times out after 30 s, so a longer loop would get the member
 * evicted and the message redelivered from attempt 1, i.e. retried without bound (9
 * attempts may take 26 s, too close). Poison messages skip the retries entirely.
 */
export function createEventConsumer(deps: EventConsumerDeps): EventConsumer {
  return new EventConsumer({
    kafka: deps.kafka,
    groupId: deps.groupId,
    topics: CONSUMED_TOPICS,
    fromBeginning: true,
    maxAttempts: deps.maxAttempts,
    logger: deps.logger.child({ component: 'event-consumer' }),
    handle: (event) => handleEvent(deps, event),
    ...(deps.onDeadLetter ? { onDeadLetter: deps.onDeadLetter } : {}),
  });
}

async function handleEvent(deps: EventConsumerDeps, event: CloudEvent): Promise<void> {
  const log = deps.logger.child({ eventId: event.id, eventType: event.type });
  const result = await notifyForEvent(deps.delivery, event);
  if (result.outcome !== 'recorded') {
    log.debug({ outcome: result.outcome }, 'event handled');
    return;
  }
  for (const { id, result: delivery } of result.deliveries) {
    if (delivery.outcome === 'sent') log.debug({ notificationId: id }, 'email sent');
    // Recorded and committed: the retry job sends it. Not an error for the consumer.
    else log.warn({ err: delivery.error, notificationId: id }, 'email not sent yet; will retry');
  }
}
