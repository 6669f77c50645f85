/**
 * Round trip through a broker with the client the services use (kafkajs 2.2.4):
 * create a 6-partition topic, produce keyed messages with headers (idempotent producer),
 * consume them in a consumer group, commit, read the committed offsets back, then a
 * transactional send. Proves kafkajs still speaks to the broker after Kafka 4's removal
 * of old protocol versions (KIP-896).
 *
 *   node_modules/.bin/tsx infra/stack/src/native/kafka-smoke.ts [host:port,...]
 *
 * Brokers default to KAFKA_BROKERS, then 127.0.0.1:9092. Set KAFKAJS_DEBUG=1 to see every
 * request kafkajs sends with its API version.
 */
import crypto from 'node:crypto';

import { type Consumer, Kafka, type KafkaMessage, Partitioners, type Producer, logLevel } from 'kafkajs';

import { adminCredentials } from './kafka-security';
import { type Log, consoleLog, errorMessage } from './log';

export interface SmokeResult {
  topic: string;
  produced: number;
  consumed: number;
  committed: number;
  transactional: boolean;
  ms: number;
}

const PARTITIONS = 6;

export async function kafkaSmoke(
  brokers: string[],
  log: Log = consoleLog,
  timeoutMs = 60_000,
): Promise<SmokeResult> {
  const started = Date.now();
  const say = (m: string): void => log(`[kafka-smoke] ${m}`);
  const kafka = new Kafka({
    clientId: 'surge-kafka-smoke',
    brokers,
    // Creates a topic, and uses transactions: the admin principal's work.
    sasl: { mechanism: 'scram-sha-512', ...adminCredentials() },
    logLevel: process.env['KAFKAJS_DEBUG'] ? logLevel.DEBUG : logLevel.WARN,
    retry: { retries: 3 },
  });
  const run = crypto.randomBytes(4).toString('hex');
  const topic = `surge.smoke.${run}`;
  const groupId = `surge-smoke-${run}`;
  const admin = kafka.admin();
  let producer: Producer | undefined;
  let txProducer: Producer | undefined;
  let consumer: Consumer | undefined;
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    say(
      `connected: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), controller ${cluster.controller}`,
    );

    await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = meta.topics[0]?.partitions.length ?? 0;
    if (partitions !== PARTITIONS) throw new Error(`created ${topic} but it has ${partitions} partitions`);
    say(`created ${topic} with ${partitions} partitions`);

    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const messages = Array.from({ length: PARTITIONS * 2 }, (_, i) => ({
      key: `order-${i}`,
      value: JSON.stringify({ i, run }),
      headers: { 'x-correlation-id': `corr-${run}-${i}`, 'x-event-type': 'SmokeTested' },
    }));
    const acks = await producer.send({ topic, messages, acks: -1 });
    say(
      `produced ${messages.length} messages with headers (idempotent, acks=all) to ${acks.length} partitions`,
    );

    consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: KafkaMessage[] = [];
    const c = consumer;
    const allReceived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`consumed ${received.length}/${messages.length} messages within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void c.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const corr = message.headers?.['x-correlation-id']?.toString();
          if (!corr?.startsWith(`corr-${run}-`))
            throw new Error(`message without our header on partition ${partition}`);
          received.push(message);
          await c.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          if (received.length === messages.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await allReceived;
    say(`consumed ${received.length} messages in group ${groupId}, headers intact, offsets committed`);
    await consumer.stop();

    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets
      .flatMap((t) => t.partitions)
      .reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    if (committed !== messages.length)
      throw new Error(`committed offsets add up to ${committed}, expected ${messages.length}`);
    say(`committed offsets read back: ${committed}`);

    txProducer = kafka.producer({
      transactionalId: `surge-smoke-tx-${run}`,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await txProducer.connect();
    const tx = await txProducer.transaction();
    await tx.send({ topic, messages: [{ key: 'tx', value: 'in a transaction' }] });
    await tx.commit();
    say('transactional send committed');

    return {
      topic,
      produced: messages.length,
      consumed: received.length,
      committed,
      transactional: true,
      ms: Date.now() - started,
    };
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await txProducer?.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

if (require.main === module) {
  const arg = process.argv[2] ?? process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
  kafkaSmoke(arg.split(',').map((b) => b.trim()))
    .then((r) => {
      consoleLog(`[kafka-smoke] OK in ${r.ms} ms`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`[kafka-smoke] FAILED: ${errorMessage(err)}\n`);
      if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
      process.exit(1);
    });
}
