import { cursorField, defineCursor } from '@surge/contracts';
import type { ListPosition } from '../../domain/ports';

/**
 * Opaque keyset cursor over (createdAt, id): page 500 costs what page 1 does. The shared
 * codec checks both fields strictly, so a cursor this API did not issue is a 400 before
 * anything reaches SQL; the instant keeps its microseconds (see ListPosition).
 */
export const orderCursor = defineCursor({
  list: 'orders',
  fields: [cursorField.microInstant, cursorField.uuid],
  toFields: (position: ListPosition) => [position.createdAt, position.id],
  fromFields: ([createdAt, id]) => ({ createdAt, id }),
});
