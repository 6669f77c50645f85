import { userInfo } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import {
  DLQ_SUFFIX,
  listDeadLetters,
  replayDeadLetters,
  sourceTopicOf,
  type DeadLetter,
} from '@surge/messaging';
import { portFromEnv } from '../native/daemon';
import { KAFKA_DEFAULT_PORT, KAFKA_HOST } from '../native/kafka';
import { adminCredentials } from '../native/kafka-security';

/** The event topics (packages/contracts TOPICS); `list` also finds any other `*.dlq` on the broker. */
const EVENT_TOPICS = ['users', 'orders', 'payments', 'products'];

export interface DlqOptions {
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  /** How long reading a topic to its end may take. */
  timeoutMs?: number;
}

const USAGE = 'usage: npm run stack -- dlq list [topic] | dlq replay <topic> [--id <ce_id>]';

/**
 * `npm run stack -- dlq list [topic]` prints every dead-lettered message with why it failed;
 * `npm run stack -- dlq replay <topic> [--id <ce_id>]` republishes them to `<topic>`
 * (packages/messaging dead-letters.ts, which the services' admin endpoints and so the
 * operations console use too). Consumers are idempotent (inbox), so a replay never
 * applies an event twice; the ledger only keeps a second replay from publishing it again.
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
  if (action === 'list') return list(kafka, topicArg ? [sourceTopicOf(topicArg)] : undefined, out, timeoutMs);
  if (action === 'replay' && topicArg) {
    const idAt = rest.indexOf('--id');
    const id = idAt >= 0 ? rest[idAt + 1] : undefined;
    if (idAt >= 0 && !id) throw new Error(`--id needs a ce_id\n${USAGE}`);
    const topic = sourceTopicOf(topicArg);
    const by = `npm run stack -- dlq (${userInfo().username})`;
    const outcome = await replayDeadLetters(kafka, { topic, ceId: id, timeoutMs, by });
    for (const letter of outcome.replayed) {
      out(
        `replayed ${topic}${DLQ_SUFFIX}/${letter.position} ce_type=${letter.type ?? '-'} ce_id=${letter.id ?? '-'} -> ${topic}`,
      );
    }
    out(
      `replayed ${outcome.replayed.length} message(s) from ${topic}${DLQ_SUFFIX} to ${topic}; ${outcome.skipped} already replayed before`,
    );
    return;
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

async function list(
  kafka: Kafka,
  topics: string[] | undefined,
  out: (line: string) => void,
  timeoutMs: number,
): Promise<void> {
  const wanted = topics ?? (await everyDeadLetterSource(kafka));
  const { missing, letters } = await listDeadLetters(kafka, { topics: wanted, timeoutMs });
  for (const topic of wanted) {
    const dlqTopic = `${topic}${DLQ_SUFFIX}`;
    if (missing.includes(topic)) {
      out(`${dlqTopic}: no such topic`);
      continue;
    }
    const mine = letters.filter((letter) => letter.topic === topic);
    out(`${dlqTopic}: ${mine.length === 0 ? 'empty' : `${mine.length} message(s)`}`);
    for (const letter of mine) describe(letter, out);
  }
}

/** The event topics and the source of every other `*.dlq` on the broker, sorted. */
async function everyDeadLetterSource(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const dlqTopics = (await admin.listTopics()).filter((topic) => topic.endsWith(DLQ_SUFFIX));
    return [...new Set([...EVENT_TOPICS, ...dlqTopics.map(sourceTopicOf)])].sort();
  } finally {
    await admin.disconnect();
  }
}

function describe(letter: DeadLetter, out: (line: string) => void): void {
  out(
    `  ${letter.topic}${DLQ_SUFFIX}/${letter.position}  ${letter.at}  ce_type=${letter.type ?? '-'}  ce_id=${letter.id ?? '-'}  key=${letter.key ?? '-'}`,
  );
  out(`      source: ${letter.source ?? '-'} (group ${letter.group ?? '-'})`);
  out(`      error:  ${letter.error ?? '-'}`);
  if (letter.replayedAt)
    out(`      replayed: ${letter.replayedAt}${letter.replayedBy ? ` by ${letter.replayedBy}` : ''}`);
}
