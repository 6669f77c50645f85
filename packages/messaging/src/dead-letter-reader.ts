import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';

export interface PositionedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export async function listTopicNames(kafka: Kafka): Promise<Set<string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Set(await admin.listTopics());
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every message of `topics` from the beginning up to the end offsets seen when we start,
 * in (topic, partition, offset) order. Reads with a throw-away consumer group that commits
 * nothing and is deleted afterwards, so it changes no one's position.
 */
export async function readToEnd(
  kafka: Kafka,
  topics: string[],
  timeoutMs: number,
  /** The reader's group id starts with it: a service may join only groups under its own prefix. */
  groupPrefix = 'surge',
): Promise<PositionedMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${groupPrefix}-dlq-read-${randomUUID()}`;
  try {
    const ends = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
      }
    }
    if (ends.size === 0) return [];
    const read = await consumeUntil(kafka, groupId, topics, ends, timeoutMs);
    return read.sort(
      (a, b) =>
        a.topic.localeCompare(b.topic) ||
        a.partition - b.partition ||
        Number(BigInt(a.message.offset) - BigInt(b.message.offset)),
    );
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function consumeUntil(
  kafka: Kafka,
  groupId: string,
  topics: string[],
  ends: Map<string, bigint>,
  timeoutMs: number,
): Promise<PositionedMessage[]> {
  const consumer = kafka.consumer({ groupId });
  const read: PositionedMessage[] = [];
  const pending = new Map(ends);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs / 1000} s reading ${topics.join(', ')}`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const key = `${topic}/${partition}`;
            const end = pending.get(key);
            if (end === undefined) return;
            const offset = BigInt(message.offset);
            if (offset < end) read.push({ topic, partition, message });
            if (offset + 1n >= end) pending.delete(key);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return read;
}

export function headerOf(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
