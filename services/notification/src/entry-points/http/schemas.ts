import { z } from 'zod';
import { cursorField, defineCursor } from '@surge/contracts';

/** Opaque to clients: the keyset position (sentAt, id) of the last item, in the shared codec. */
export const notificationCursor = defineCursor({
  list: 'notifications',
  fields: [cursorField.instant, cursorField.uuid],
  toFields: (position: { sentAt: Date; id: string }) => [position.sentAt.toISOString(), position.id],
  fromFields: ([sentAt, id]) => ({ sentAt, id }),
});

/**
 * docs/api-contract.md "Lists": limit 1..100 (default 20) and an opaque cursor; any other
 * parameter is a 400, not ignored (a misspelt one would otherwise pass unnoticed).
 */
export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: notificationCursor.param.optional(),
});
