import { ValidationError } from '@surge/errors';

/** Opaque keyset cursor over (createdAt, id): page 500 costs what page 1 does. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new ValidationError('The cursor is invalid', [
      { path: 'cursor', message: 'use nextCursor from a previous page' },
    ]);
  }
}
