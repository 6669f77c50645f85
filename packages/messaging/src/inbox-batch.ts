import { withTransaction, type Pool, type Queryable } from '@surge/postgres';
import type { AnyCloudEvent } from './cloud-event';

/**
 * A consumer whose effect is rows in its own database: EventConsumer applies a whole
 * partition batch in one transaction, with one inbox statement for the batch, instead of
 * a transaction (BEGIN, inbox insert, effect, COMMIT) per message.
 */
export interface InboxBatchHandler {
  pool: Pool;
  /** The inbox consumer name (the `consumer` column): one per consumer group's purpose. */
  consumer: string;
  /**
   * Applies the events of a batch that the inbox has not seen (at least one), in the
   * partition's order, inside the batch's transaction: one statement for all of them
   * where the effect allows, which is what makes a batch cheap. Throwing rolls the whole
   * batch back; EventConsumer then applies its messages one transaction each (`events`
   * of one), so only the failing one retries or is dead-lettered (PoisonMessageError
   * sends it there at once).
   */
  apply: (tx: Queryable, events: readonly AnyCloudEvent[]) => Promise<void>;
  /** Told the events a transaction applied, once it committed (metrics, benchmarks). */
  committed?: (events: readonly AnyCloudEvent[]) => void;
}

/**
 * Claims the inbox rows of `ids` in one statement and returns those that were new. A
 * claimed id was never applied before: its row and the effect commit together or not at
 * all, so a redelivered batch (a crash before its offsets were committed) claims only
 * what the first delivery did not commit.
 */
export async function claimInboxEntries(
  tx: Queryable,
  consumer: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO inbox (consumer, event_id) SELECT $1, id FROM unnest($2::text[]) AS claimed(id)
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, [...new Set(ids)]],
  );
  return new Set(rows.map((row) => row.event_id));
}

/**
 * Applies `events` (one partition's, in order) exactly once each: one transaction holds
 * the inbox rows and every effect, so either all of the batch's new events are applied
 * and recorded or none is. An event id seen twice in the batch (the relay republished it
 * after a crash) is applied at its first position only. Returns how many were applied.
 */
export async function applyInboxBatch(
  handler: InboxBatchHandler,
  events: readonly AnyCloudEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  const applied = await withTransaction(handler.pool, async (tx) => {
    const fresh = await claimInboxEntries(
      tx,
      handler.consumer,
      events.map((event) => event.id),
    );
    // In partition order, each claimed id once.
    const todo = events.filter((event) => fresh.delete(event.id));
    if (todo.length > 0) await handler.apply(tx, todo);
    return todo;
  });
  if (applied.length > 0) handler.committed?.(applied);
  return applied.length;
}

/**
 * Group commit across partitions: kafkajs hands each partition's batch to its own worker,
 * and a fetch from a busy topic brings one small batch per partition. Applying each in
 * its own transaction costs a transaction (four round trips) per partition per fetch;
 * here every batch that arrives while a transaction runs waits for the next one, which
 * takes them all. A partition never has two batches waiting (its worker awaits its
 * own), so each partition's order holds, and ids are claimed in one statement as before.
 * When a group's transaction fails, every batch of it is told so: nothing of the group
 * was committed, and each partition then goes one message per transaction.
 */
export class InboxGroupCommit {
  private waiting: Array<{ events: readonly AnyCloudEvent[]; done: (error?: unknown) => void }> = [];
  private draining = false;

  constructor(private readonly handler: InboxBatchHandler) {}

  /** Resolves once `events` are applied and committed (with whatever else came along). */
  apply(events: readonly AnyCloudEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, done: (error) => (error === undefined ? resolve() : reject(error)) });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0);
        try {
          await applyInboxBatch(
            this.handler,
            group.flatMap((entry) => entry.events),
          );
          for (const entry of group) entry.done();
        } catch (error) {
          for (const entry of group) entry.done(error ?? new Error('group commit failed'));
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
