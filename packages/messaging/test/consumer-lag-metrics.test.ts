import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { ensureTopics, registerConsumerLagMetrics, type ConsumerLagMetrics } from '../src';
import { silentLogger as logger, testKafka } from './support';

const kafka = testKafka('lag-test');
// A topic and a group of this file's own, on one partition so the offsets are exact.
const topic = `lag-test-${randomUUID().slice(0, 8)}`;
const groupId = `lag-test-${randomUUID().slice(0, 8)}`;

let lag: ConsumerLagMetrics;
const registry = new Registry();
beforeAll(async () => {
  await ensureTopics(kafka, [topic], 1);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
  await producer.disconnect();
  lag = registerConsumerLagMetrics({ kafka, registry, groupId, topics: [topic], logger });
});
afterAll(() => lag.stop());

const lagOf = async () =>
  (await registry.getMetricsAsJSON())
    .find((metric) => metric.name === 'kafka_consumer_lag')
    ?.values.find((value) => value.labels.topic === topic);

describe('kafka_consumer_lag against a real broker', () => {
  it('counts every message of a partition the group never committed', async () => {
    expect(await lagOf()).toMatchObject({ value: 3, labels: { group: groupId, topic, partition: '0' } });
  });

  it('drops to what is left after the group commits', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
    await admin.disconnect();
    expect((await lagOf())?.value).toBe(1);
  });
});
