import { createLogger } from '@surge/logger';
import { createKafka, ensureTopics, toKafkaMessage, type CloudEvent, type Kafka } from '@surge/messaging';
import { testInfra, uniqueSuffix, testKafkaCredentials } from '@surge/testing';
import { CONSUMED_TOPICS } from '../src/entry-points/kafka/event-consumer';

/** The real broker, as the tests drive it: publishing like an outbox relay, watching topics, placing groups. */
const logger = createLogger({ service: 'notification-test', level: 'silent' });

let sharedKafka: Kafka | undefined;
export function kafka(): Kafka {
  sharedKafka ??= createKafka({
    brokers: testInfra().kafkaBrokers.split(','),
    sasl: testKafkaCredentials(),
    clientId: 'notification-test',
    logger,
  });
  return sharedKafka;
}

/**
 * Commits each group's offsets at the topics' current ends. What kafkajs' admin.setOffsets
 * does (a paused member seeks, and its first fetch commits), but for all of a group's
 * topics in one join and with a short fetch wait: setOffsets takes ~5 s per topic.
 */
export async function startGroupsAtEnd(client: Kafka, groups: Array<{ groupId: string; topics: string[] }>) {
  await ensureTopics(client, CONSUMED_TOPICS);
  const admin = client.admin();
  await admin.connect();
  const ends = new Map<string, Array<{ partition: number; offset: string }>>();
  try {
    for (const topic of new Set(groups.flatMap((group) => group.topics))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      ends.set(
        topic,
        offsets.map(({ partition, high }) => ({ partition, offset: high })),
      );
    }
  } finally {
    await admin.disconnect();
  }
  for (const { groupId, topics } of groups) {
    const consumer = client.consumer({ groupId, maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => {
        consumer.stop().then(resolve, reject);
      });
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      consumer.pause(topics.map((topic) => ({ topic })));
      for (const topic of topics) {
        for (const end of ends.get(topic) ?? []) consumer.seek({ topic, ...end });
      }
    });
    await consumer.disconnect();
  }
}

const producer = (() => {
  let connected: Promise<ReturnType<Kafka['producer']>> | undefined;
  return () =>
    (connected ??= (async () => {
      const p = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
      await p.connect();
      return p;
    })());
})();

/** Publishes CloudEvents to the real topic exactly as a service's outbox relay would. */
export async function publish(topic: string, ...events: CloudEvent[]): Promise<void> {
  await (await producer()).send({ topic, acks: -1, messages: events.map(toKafkaMessage) });
}

/** The ce_* headers of an event, to build messages by hand around them. */
export function toHeaders(event: CloudEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(toKafkaMessage(event).headers ?? {})) {
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** Publishes raw bytes and headers: for messages no relay would ever produce. */
export async function publishRaw(
  topic: string,
  message: { key: string; value: string; headers: Record<string, string> },
): Promise<void> {
  await (await producer()).send({ topic, acks: -1, messages: [message] });
}

export async function closeKafka(): Promise<void> {
  const p = await producer().catch(() => undefined);
  await p?.disconnect();
}

export interface SeenMessage {
  key: string | undefined;
  value: string | undefined;
  headers: Record<string, string>;
}

/** Collects every message published to `topic` from now on (a group of its own, starting at the end). */
export async function watchTopic(topic: string): Promise<{ seen: SeenMessage[]; stop(): Promise<void> }> {
  const groupId = `notification-test-watch-${uniqueSuffix()}`;
  await startGroupsAtEnd(kafka(), [{ groupId, topics: [topic] }]);
  // A short fetch wait: stopping waits out the fetch in flight.
  const consumer = kafka().consumer({ groupId, maxWaitTimeInMs: 100 });
  const seen: SeenMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        const first = Array.isArray(value) ? value[0] : value;
        if (first !== undefined) headers[name] = first.toString();
      }
      seen.push({ key: message.key?.toString(), value: message.value?.toString(), headers });
    },
  });
  return { seen, stop: () => consumer.disconnect() };
}
