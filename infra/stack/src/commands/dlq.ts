import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders, type KafkaMessage } from 'kafkajs';
import { portFromEnv } from '../native/daemon';
import { KAFKA_DEFAULT_PORT, KAFKA_HOST } from '../native/kafka';
import { adminCredentials } from '../native/kafka-security';

/** The event topics (packages/contracts TOPICS); `list` also finds any other `*.dlq` on the broker. */
const EVENT_TOPICS = ['users', 'products', 'orders', 'payments'];
const DLQ_SUFFIX = '.dlq';
/** Where `replay` records what it republished, keyed by the message's DLQ position. */
const LEDGER_SUFFIX = '.dlq.replayed';

export interface DlqOptions {
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  /** How long reading a topic to its end may take. */
  timeoutMs?: number;
}

interface Positioned {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

const USAGE = 'usage: npm run stack -- dlq list [topic] | dlq replay <topic> [--id <ce_id>]';

/**
 * `npm run stack -- dlq list [topic]` prints every dead-lettered message with why it failed;
 * `npm run stack -- dlq replay <topic> [--id <ce_id>]` republishes them to `<topic>` with their
 * original headers (minus the x-dlq-* ones), e.g. after the bug or the missing data that
 * made them fail was fixed. Consumers are idempotent (inbox), so a replay never applies
 * an event twice; the ledger only keeps a second replay from publishing it again.
 */
export async function dlq(args: string[], opts: DlqOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const kafka = new Kafka({
    clientId: 'surge-dlq',
    brokers: brokersFrom(env),
    // An operator's tool: it reads every dead-letter topic and republishes to any topic,
    // so it runs as the admin principal (SURGE_KAFKA_ADMIN_PASSWORD, else the dev one).
    sasl: { mechanism: 'scram-sha-512', ...adminCredentials(env) },
    // Errors surface as exceptions with a message; kafkajs' own console logging would only repeat them.
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 3 },
  });
  const [action, topicArg, ...rest] = args;
  if (action === 'list') return list(kafka, topicArg ? [baseTopic(topicArg)] : undefined, out, timeoutMs);
  if (action === 'replay' && topicArg) {
    const idAt = rest.indexOf('--id');
    const id = idAt >= 0 ? rest[idAt + 1] : undefined;
    if (idAt >= 0 && !id) throw new Error(`--id needs a ce_id\n${USAGE}`);
    return replay(kafka, baseTopic(topicArg), id, out, timeoutMs);
  }
  throw new Error(USAGE);
}

function brokersFrom(env: NodeJS.ProcessEnv): string[] {
  const configured = env['KAFKA_BROKERS']
    ?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (configured?.length) return configured;
  return [`${KAFKA_HOST}:${portFromEnv(env, 'SURGE_KAFKA_PORT', KAFKA_DEFAULT_PORT)}`];
}

/** `orders` and `orders.dlq` both mean the orders topic. */
function baseTopic(name: string): string {
  return name.endsWith(DLQ_SUFFIX) ? name.slice(0, -DLQ_SUFFIX.length) : name;
}

async function list(
  kafka: Kafka,
  topics: string[] | undefined,
  out: (line: string) => void,
  timeoutMs: number,
): Promise<void> {
  const existing = await listTopics(kafka);
  const wanted =
    topics ??
    [
      ...new Set([
        ...EVENT_TOPICS,
        ...[...existing].filter((t) => t.endsWith(DLQ_SUFFIX)).map((t) => baseTopic(t)),
      ]),
    ].sort();
  // One read (one consumer group join) for every dead-letter topic and ledger at once.
  const toRead = wanted
    .flatMap((topic) => [`${topic}${DLQ_SUFFIX}`, `${topic}${LEDGER_SUFFIX}`])
    .filter((name) => existing.has(name));
  const all = await readToEnd(kafka, toRead, timeoutMs);
  for (const topic of wanted) {
    const dlqTopic = `${topic}${DLQ_SUFFIX}`;
    if (!existing.has(dlqTopic)) {
      out(`${dlqTopic}: no such topic`);
      continue;
    }
    const entries = all.filter((entry) => entry.topic === dlqTopic);
    const replayed = ledgerOf(all.filter((entry) => entry.topic === `${topic}${LEDGER_SUFFIX}`));
    out(`${dlqTopic}: ${entries.length === 0 ? 'empty' : `${entries.length} message(s)`}`);
    for (const entry of entries) describe(entry, replayed.get(positionKey(entry)), out);
  }
}

function describe(entry: Positioned, replayedAt: string | undefined, out: (line: string) => void): void {
  const { message } = entry;
  const h = (name: string) => header(message.headers, name) ?? '-';
  const time = new Date(Number(message.timestamp)).toISOString();
  out(
    `  ${entry.topic}/${entry.partition}@${message.offset}  ${time}  ce_type=${h('ce_type')}  ce_id=${h('ce_id')}  key=${message.key?.toString() ?? '-'}`,
  );
  out(`      source: ${h('x-dlq-source')} (group ${h('x-dlq-group')})`);
  out(`      error:  ${h('x-dlq-error')}`);
  if (replayedAt) out(`      replayed: ${replayedAt}`);
}

async function replay(
  kafka: Kafka,
  topic: string,
  ceId: string | undefined,
  out: (line: string) => void,
  timeoutMs: number,
): Promise<void> {
  const dlqTopic = `${topic}${DLQ_SUFFIX}`;
  const existing = await listTopics(kafka);
  if (!existing.has(dlqTopic)) throw new Error(`${dlqTopic} does not exist`);
  if (!existing.has(topic)) throw new Error(`${topic} does not exist: nothing to replay into`);
  await ensureLedger(kafka, topic, existing);
  const all = await readToEnd(kafka, [dlqTopic, `${topic}${LEDGER_SUFFIX}`], timeoutMs);
  const replayed = ledgerOf(all.filter((entry) => entry.topic !== dlqTopic));
  const entries = all.filter(
    (entry) =>
      entry.topic === dlqTopic && (ceId === undefined || header(entry.message.headers, 'ce_id') === ceId),
  );
  if (ceId !== undefined && entries.length === 0)
    throw new Error(`no message with ce_id ${ceId} in ${dlqTopic}`);
  const todo = entries.filter((entry) => !replayed.has(positionKey(entry)));
  const skipped = entries.length - todo.length;

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const entry of todo) {
      const { message } = entry;
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers: withoutDlqHeaders(message.headers) }],
      });
      // Recorded after publishing: a crash in between republishes this one message next
      // time, which idempotent consumers absorb; recording first could lose it instead.
      await producer.send({
        topic: `${topic}${LEDGER_SUFFIX}`,
        acks: -1,
        messages: [
          {
            key: positionKey(entry),
            value: JSON.stringify({
              ceId: header(message.headers, 'ce_id'),
              replayedAt: new Date().toISOString(),
            }),
          },
        ],
      });
      out(
        `replayed ${entry.topic}/${entry.partition}@${message.offset} ce_type=${header(message.headers, 'ce_type') ?? '-'} ce_id=${header(message.headers, 'ce_id') ?? '-'} -> ${topic}`,
      );
    }
  } finally {
    await producer.disconnect();
  }
  out(`replayed ${todo.length} message(s) from ${dlqTopic} to ${topic}; ${skipped} already replayed before`);
}

function withoutDlqHeaders(headers: IHeaders | undefined): IHeaders {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !name.startsWith('x-dlq-')));
}

/** DLQ position `<partition>/<offset>`: unique per dead letter, unlike ce_id (a message can be dead-lettered twice). */
function positionKey(entry: Positioned): string {
  return `${entry.partition}/${entry.message.offset}`;
}

async function ensureLedger(kafka: Kafka, topic: string, existing: Set<string>): Promise<void> {
  if (existing.has(`${topic}${LEDGER_SUFFIX}`)) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Compacted: only the latest record per DLQ position is kept, so it stays small.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: `${topic}${LEDGER_SUFFIX}`,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

/** DLQ position -> when it was replayed, from a ledger topic's records. */
function ledgerOf(records: Positioned[]): Map<string, string> {
  const replayed = new Map<string, string>();
  for (const { message } of records) {
    const key = message.key?.toString();
    if (!key || !message.value) continue;
    try {
      replayed.set(
        key,
        String((JSON.parse(message.value.toString()) as { replayedAt?: unknown }).replayedAt),
      );
    } catch {
      replayed.set(key, 'yes');
    }
  }
  return replayed;
}

async function listTopics(kafka: Kafka): Promise<Set<string>> {
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
async function readToEnd(kafka: Kafka, topics: string[], timeoutMs: number): Promise<Positioned[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `surge-dlq-read-${randomUUID()}`;
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
): Promise<Positioned[]> {
  const consumer = kafka.consumer({ groupId });
  const read: Positioned[] = [];
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

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
