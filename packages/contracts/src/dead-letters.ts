import { z } from 'zod';

/**
 * The dead-letter admin API of a service that owns a Kafka consumer (on its admin
 * listener, `GET /dead-letters` and `POST /dead-letters/replay`). The service serves it
 * with packages/messaging's deadLetterAdminRoutes; the operations console parses the
 * answers with these schemas.
 */

/** `<partition>@<offset>` in `<topic>.dlq`: unique per dead letter (a ce_id can be dead-lettered twice). */
export const DEAD_LETTER_POSITION = /^\d{1,5}@\d{1,19}$/;

export const deadLetterSchema = z.object({
  /** The source topic it failed on and is replayed to (`orders`, not `orders.dlq`). */
  topic: z.string(),
  position: z.string().regex(DEAD_LETTER_POSITION),
  /** When it was dead-lettered (ISO 8601). */
  at: z.string(),
  key: z.string().nullable(),
  /** CloudEvents type and id (ce_type, ce_id), when the message had them. */
  type: z.string().nullable(),
  id: z.string().nullable(),
  /** `<topic>/<partition>/<offset>` it was read from, the group that gave up, and why. */
  source: z.string().nullable(),
  group: z.string().nullable(),
  error: z.string().nullable(),
  /** When it was replayed (ISO 8601), or null while it waits. */
  replayedAt: z.string().nullable(),
  /** Who asked for the replay (the console's administrator, or the CLI's user), when recorded. */
  replayedBy: z.string().nullable(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const deadLetterListSchema = z.object({
  group: z.string(),
  topics: z.array(z.object({ topic: z.string(), pending: z.number().int(), replayed: z.number().int() })),
  /** Newest first, at most `DEAD_LETTERS_LISTED` of them. */
  messages: z.array(deadLetterSchema),
});
export type DeadLetterList = z.infer<typeof deadLetterListSchema>;

export const DEAD_LETTERS_LISTED = 200;

export const deadLetterReplayRequestSchema = z.object({
  topic: z.string().min(1).max(200),
  /** One dead letter; without it, every one of the topic's that was not replayed yet. */
  position: z.string().regex(DEAD_LETTER_POSITION).optional(),
  /** Who asked for it (the console's administrator), for the log. */
  by: z.string().min(1).max(320),
});
export type DeadLetterReplayRequest = z.infer<typeof deadLetterReplayRequestSchema>;

export const deadLetterReplayResultSchema = z.object({
  replayed: z.number().int(),
  /** Selected but replayed before: a second replay publishes nothing. */
  skipped: z.number().int(),
});
export type DeadLetterReplayResult = z.infer<typeof deadLetterReplayResultSchema>;
