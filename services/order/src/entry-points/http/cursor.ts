import { cursorField, defineCursor } from '@surge/contracts';

/**
 * Opaque keyset cursor over (createdAt, id): page 500 costs what page 1 does. The shared
 * codec checks both fields strictly, so a cursor this API did not issue is a 400 before
 * anything reaches SQL.
 */
export const orderCursor = defineCursor({
  list: 'orders',
  fields: [cursorField.instant, cursorField.uuid],
  toFields: (position: { createdAt: Date; id: string }) => [position.createdAt.toISOString(), position.id],
  fromFields: ([createdAt, id]) => ({ createdAt, id }),
});
