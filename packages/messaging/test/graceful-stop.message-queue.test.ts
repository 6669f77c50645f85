import { randomUUID } from 'node:crypto';
import { eventually } from '@surge/testing';
import { EventConsumer, ensureTopics, toKafkaMessage, type AnyCloudEvent } from '../src';
import { productProbe, silentLogger as logger, testKafka } from './support';

/**
 * A graceful stop (a deploy, a scale-down) commits every offset the consumer resolved, so
 * the next member of its group starts after them. Offsets are committed in the background
 * and spaced; committed only after the consumer had left its group, they were refused by
 * the broker, and every stop handed its last events to the next owner again. Real Kafka.
 */
const kafka = testKafka('graceful-stop-test');
const event = (sku: string) => productProbe('graceful-stop-test', sku);

async function publish(topic: string, events: AnyCloudEvent[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: events.map((one) => toKafkaMessage(one)) });
  } finally {
    await producer.disconnect();
  }
}

async function startHandling(topic: string, groupId: string, seen: string[]): Promise<EventConsumer> {
  const consumer = new EventConsumer({
    kafka,
    groupId,
    topics: [topic],
    logger,
    handle: async (one) => void seen.push(one.type === 'product.updated' ? one.data.sku : '?'),
  });
  await consumer.start();
  return consumer;
}

describe('EventConsumer stopped gracefully', () => {
  it('commits what it handled before it leaves: the next member of its group is given none of it again', async () => {
    const topic = `graceful-stop-${randomUUID().slice(0, 8)}`;
    await ensureTopics(kafka, [topic], 1);
    const groupId = `graceful-stop-${randomUUID().slice(0, 8)}`;
    const first: string[] = [];
    const consumer = await startHandling(topic, groupId, first);
    await publish(topic, [event('A'), event('B'), event('C')]);
    await eventually(() => first.length === 3, { what: 'the first three events' });
    // At once: the last offsets are still waiting for the committer's spacing.
    await consumer.stop();

    const next: string[] = [];
    const successor = await startHandling(topic, groupId, next);
    try {
      await publish(topic, [event('MARKER')]);
      await eventually(() => next.includes('MARKER'), { what: 'the marker' });
      expect(next).toEqual(['MARKER']);
      expect(first).toEqual(['A', 'B', 'C']);
    } finally {
      await successor.stop();
    }
  });
});
