import type { Logger } from '@surge/logger';
import { ensureTopics, type EventConsumer, type Kafka } from '@surge/messaging';
import { CONSUMED_TOPICS } from './event-consumer';

export interface StartedConsumers {
  /** Resolves once every consumer has joined; tests wait for it. */
  started: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the consumers in the background, retrying until the broker answers: a Kafka
 * outage at start must not keep the HTTP API (reading past notifications) down.
 * Topics and their dead-letter topics are created first: the broker does not
 * auto-create them, and a consumer cannot subscribe to a missing topic.
 */
export function startConsumers(
  kafka: Kafka,
  consumers: EventConsumer[],
  logger: Logger,
  retryMs = 5_000,
): StartedConsumers {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (): Promise<void> => {
    await ensureTopics(kafka, CONSUMED_TOPICS);
    await Promise.all(consumers.map((consumer) => consumer.start()));
  };
  const started = new Promise<void>((resolve) => {
    const tryOnce = (): void => {
      if (stopped) return;
      attempt().then(resolve, async (error: unknown) => {
        logger.warn({ err: error, retryMs }, 'could not start the Kafka consumers yet');
        await Promise.all(consumers.map((consumer) => consumer.stop().catch(() => undefined)));
        if (!stopped) timer = setTimeout(tryOnce, retryMs);
      });
    };
    tryOnce();
  });
  return {
    started,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(consumers.map((consumer) => consumer.stop()));
    },
  };
}
