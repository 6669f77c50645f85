import type { Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '@surge/logger';
import { computeConsumerLag, type PartitionLag, type StartPosition } from './consumer-lag';
import type { Kafka } from './kafka';

/** A scrape must not wait for a broker that is down: kafkajs alone would retry for seconds. */
const MEASURE_TIMEOUT_MS = 2_000;

export interface ConsumerLagMetricsOptions {
  kafka: Kafka;
  registry: Registry;
  groupId: string;
  topics: readonly string[];
  /** Where the group starts without a commit (EventConsumer's default is `earliest`). */
  start?: StartPosition;
  logger?: Logger;
}

export interface ConsumerLagMetrics {
  /** Disconnects the admin client the measurements use. */
  stop(): Promise<void>;
}

/**
 * `kafka_consumer_lag{group,topic,partition}`: messages written to a partition and not yet
 * committed by the group, measured when Prometheus scrapes (the group's committed offsets
 * and each topic's watermarks, two admin requests per topic). When the broker cannot be
 * asked within 2 s, the series are left out of that scrape (unknown), never a stale number.
 */
export function registerConsumerLagMetrics(options: ConsumerLagMetricsOptions): ConsumerLagMetrics {
  const { kafka, groupId, topics, logger } = options;
  let admin: Admin | undefined;
  const connected = async (): Promise<Admin> => {
    if (admin) return admin;
    const fresh = kafka.admin({ retry: { retries: 0 } });
    await fresh.connect();
    admin = fresh;
    return fresh;
  };
  const measure = async (): Promise<PartitionLag[]> => {
    const client = await connected();
    const committed = await client.fetchOffsets({ groupId, topics: [...topics] });
    const commits = committed.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, offset }) => ({ topic, partition, offset })),
    );
    const watermarks = await Promise.all(
      topics.map(async (topic) =>
        (await client.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({
          topic,
          partition,
          low,
          high,
        })),
      ),
    );
    return computeConsumerLag(commits, watermarks.flat(), options.start ?? 'earliest');
  };
  new Gauge({
    name: 'kafka_consumer_lag',
    help: 'Messages in a partition not yet committed by the consumer group',
    labelNames: ['group', 'topic', 'partition'],
    registers: [options.registry],
    async collect() {
      this.reset();
      try {
        for (const { topic, partition, lag } of await withTimeout(measure(), MEASURE_TIMEOUT_MS)) {
          this.set({ group: groupId, topic, partition: String(partition) }, lag);
        }
      } catch (error) {
        logger?.debug({ err: error, groupId }, 'consumer lag not measured');
        // A broken connection is replaced at the next scrape.
        const broken = admin;
        admin = undefined;
        await broken?.disconnect().catch(() => undefined);
      }
    },
  });
  return {
    async stop() {
      await admin?.disconnect();
      admin = undefined;
    },
  };
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
