import type { IHeaders, Kafka } from 'kafkajs';
import { REPLAY_LEDGER_SUFFIX, type DeadLetter } from '@surge/contracts';
import { AppError } from '@surge/errors';
import { headerOf, listTopicNames, readToEnd, type PositionedMessage } from './dead-letter-reader';

/** EventConsumer copies a message that keeps failing to `<topic>.dlq` (event-consumer.ts). */
export const DLQ_SUFFIX = '.dlq';
/** Where a replay records what it republished, keyed by the dead letter's position. */
const LEDGER_SUFFIX = REPLAY_LEDGER_SUFFIX;
const DEFAULT_TIMEOUT_MS = 30_000;

/** `orders` and `orders.dlq` both mean the orders topic. */
export function sourceTopicOf(name: string): string {
  return name.endsWith(DLQ_SUFFIX) ? name.slice(0, -DLQ_SUFFIX.length) : name;
}

export interface DeadLetterQuery {
  /** Source topics (`orders`). */
  topics: readonly string[];
  /** Only what this consumer group dead-lettered (x-dlq-group); every group's otherwise. */
  group?: string | undefined;
  /** How long reading the topics to their end may take. */
  timeoutMs?: number;
}

export interface DeadLetterListing {
  /** Source topics that have no dead-letter topic (nothing ever failed there, or no consumer made it). */
  missing: string[];
  /** In topic, partition, offset order. */
  letters: DeadLetter[];
}

/** Every dead letter of `topics` with why it failed and whether it was replayed. */
export async function listDeadLetters(kafka: Kafka, query: DeadLetterQuery): Promise<DeadLetterListing> {
  const existing = await listTopicNames(kafka);
  const topics = [...new Set(query.topics.map(sourceTopicOf))];
  // One read (one consumer group join) for every dead-letter topic and ledger at once.
  const toRead = topics
    .flatMap((topic) => [`${topic}${DLQ_SUFFIX}`, `${topic}${LEDGER_SUFFIX}`])
    .filter((name) => existing.has(name));
  const all = await readToEnd(kafka, toRead, query.timeoutMs ?? DEFAULT_TIMEOUT_MS, query.group);
  const letters = topics.flatMap((topic) => lettersOf(topic, all, query.group));
  return { missing: topics.filter((topic) => !existing.has(`${topic}${DLQ_SUFFIX}`)), letters };
}

export interface ReplaySelection {
  /** The source topic (`orders` or `orders.dlq`). */
  topic: string;
  /** One dead letter by its position (`<partition>@<offset>`), or every one with this ce_id; all otherwise. */
  position?: string | undefined;
  ceId?: string | undefined;
  group?: string | undefined;
  /** Who asks, kept in the ledger beside when. */
  by: string;
  timeoutMs?: number;
}

export interface ReplayOutcome {
  replayed: DeadLetter[];
  /** Selected, but replayed before: not published again. */
  skipped: number;
}

/**
 * Republishes dead letters to their source topic with their original headers (minus the
 * x-dlq-* ones), e.g. after the bug or the missing data that made them fail was fixed.
 * Consumers are idempotent (the inbox), so a replay never applies an event twice, even
 * when two replays race; the ledger keeps a second replay from publishing it again.
 */
export async function replayDeadLetters(kafka: Kafka, selection: ReplaySelection): Promise<ReplayOutcome> {
  const topic = sourceTopicOf(selection.topic);
  const dlqTopic = `${topic}${DLQ_SUFFIX}`;
  const existing = await listTopicNames(kafka);
  if (!existing.has(dlqTopic)) throw new AppError('NOT_FOUND', `${dlqTopic} does not exist`);
  if (!existing.has(topic))
    throw new AppError('NOT_FOUND', `${topic} does not exist: nothing to replay into`);
  await ensureLedger(kafka, topic, existing);
  const all = await readToEnd(
    kafka,
    [dlqTopic, `${topic}${LEDGER_SUFFIX}`],
    selection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    selection.group,
  );
  const selected = lettersOf(topic, all, selection.group).filter(
    (letter) =>
      (selection.position === undefined || letter.position === selection.position) &&
      (selection.ceId === undefined || letter.id === selection.ceId),
  );
  if (selection.ceId !== undefined && selected.length === 0)
    throw new AppError('NOT_FOUND', `no message with ce_id ${selection.ceId} in ${dlqTopic}`);
  if (selection.position !== undefined && selected.length === 0)
    throw new AppError('NOT_FOUND', `no dead letter at ${selection.position} in ${dlqTopic}`);
  const todo = selected.filter((letter) => letter.replayedAt === null);
  const messages = new Map(
    all.filter((entry) => entry.topic === dlqTopic).map((entry) => [positionOf(entry), entry.message]),
  );

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const replayed: DeadLetter[] = [];
  try {
    for (const letter of todo) {
      const message = messages.get(letter.position)!;
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers: withoutDlqHeaders(message.headers) }],
      });
      // Recorded after publishing: a crash in between republishes this one message next
      // time, which idempotent consumers absorb; recording first could lose it instead.
      const replayedAt = new Date().toISOString();
      await producer.send({
        topic: `${topic}${LEDGER_SUFFIX}`,
        acks: -1,
        messages: [
          { key: letter.position, value: JSON.stringify({ ceId: letter.id, replayedAt, by: selection.by }) },
        ],
      });
      replayed.push({ ...letter, replayedAt, replayedBy: selection.by });
    }
  } finally {
    await producer.disconnect();
  }
  return { replayed, skipped: selected.length - todo.length };
}

function lettersOf(topic: string, all: PositionedMessage[], group: string | undefined): DeadLetter[] {
  const dlqTopic = `${topic}${DLQ_SUFFIX}`;
  const replayed = ledgerOf(all.filter((entry) => entry.topic === `${topic}${LEDGER_SUFFIX}`));
  return all
    .filter((entry) => entry.topic === dlqTopic)
    .map((entry) => toDeadLetter(topic, entry, replayed))
    .filter((letter) => group === undefined || letter.group === group);
}

function toDeadLetter(topic: string, entry: PositionedMessage, replayed: Map<string, Replayed>): DeadLetter {
  const { message } = entry;
  const header = (name: string) => headerOf(message.headers, name) ?? null;
  return {
    topic,
    position: positionOf(entry),
    at: new Date(Number(message.timestamp)).toISOString(),
    key: message.key?.toString() ?? null,
    type: header('ce_type'),
    id: header('ce_id'),
    source: header('x-dlq-source'),
    group: header('x-dlq-group'),
    error: header('x-dlq-error'),
    replayedAt: replayed.get(positionOf(entry))?.at ?? null,
    replayedBy: replayed.get(positionOf(entry))?.by ?? null,
  };
}

function withoutDlqHeaders(headers: IHeaders | undefined): IHeaders {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !name.startsWith('x-dlq-')));
}

/** `<partition>@<offset>`: unique per dead letter, unlike ce_id (a message can be dead-lettered twice). */
function positionOf(entry: PositionedMessage): string {
  return `${entry.partition}@${entry.message.offset}`;
}

async function ensureLedger(kafka: Kafka, topic: string, existing: Set<string>): Promise<void> {
  if (existing.has(`${topic}${LEDGER_SUFFIX}`)) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Compacted: only the latest record per dead-letter position is kept, so it stays small.
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

interface Replayed {
  at: string;
  by: string | null;
}

/** Dead-letter position -> when and by whom it was replayed, from a ledger topic's records. */
function ledgerOf(records: PositionedMessage[]): Map<string, Replayed> {
  const replayed = new Map<string, Replayed>();
  for (const { message } of records) {
    // Ledgers written before positions were `<partition>@<offset>` keyed them `<partition>/<offset>`.
    const key = message.key?.toString().replace('/', '@');
    if (!key || !message.value) continue;
    try {
      const record = JSON.parse(message.value.toString()) as { replayedAt?: unknown; by?: unknown };
      replayed.set(key, {
        at: String(record.replayedAt),
        by: typeof record.by === 'string' ? record.by : null,
      });
    } catch {
      replayed.set(key, { at: 'yes', by: null });
    }
  }
  return replayed;
}
