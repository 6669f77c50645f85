import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '@surge/errors';
import { cursorField, defineCursor } from '@surge/contracts';
import type { CatalogFilters, CursorKey } from './product';

/**
 * Opaque list cursors, in the shared codec (packages/contracts cursor.ts): one list per
 * ordering, each holding `[filter fingerprint, sort value, id]`. The fingerprint ties a
 * cursor to the filters that produced it, so a cursor pasted onto another query is a
 * clear 400 instead of a silently odd page; the sort value is checked as strictly as the
 * SQL it is compared in (a name Postgres can hold, a finite rank).
 */
const fingerprintField = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const byName = defineCursor({
  list: 'products:name',
  fields: [fingerprintField, cursorField.text(400), cursorField.uuid],
  toFields: ({ key, fingerprint }: { key: Extract<CursorKey, { kind: 'name' }>; fingerprint: string }) => [
    fingerprint,
    key.name,
    key.id,
  ],
  fromFields: ([fingerprint, name, id]) => ({ fingerprint, key: { kind: 'name' as const, name, id } }),
});

const byRank = defineCursor({
  list: 'products:rank',
  fields: [fingerprintField, cursorField.number(0, 1e9), cursorField.uuid],
  toFields: ({ key, fingerprint }: { key: Extract<CursorKey, { kind: 'rank' }>; fingerprint: string }) => [
    fingerprint,
    key.rank,
    key.id,
  ],
  fromFields: ([fingerprint, rank, id]) => ({ fingerprint, key: { kind: 'rank' as const, rank, id } }),
});

export function filterFingerprint(filters: CatalogFilters): string {
  const canonical = JSON.stringify([filters.q, filters.category, filters.minPrice, filters.maxPrice]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

export function encodeCursor(key: CursorKey, fingerprint: string): string {
  return key.kind === 'name' ? byName.encode({ key, fingerprint }) : byRank.encode({ key, fingerprint });
}

/** Decodes a cursor made for these filters and this ordering, or throws a 400 naming `cursor`. */
export function decodeCursor(raw: string, fingerprint: string, expected: CursorKey['kind']): CursorKey {
  const decoded = expected === 'name' ? byName.decode(raw) : byRank.decode(raw);
  if (decoded.fingerprint !== fingerprint) {
    throw new ValidationError('The cursor is invalid', [
      { path: 'cursor', message: 'was issued for other filters: use nextCursor from a previous page' },
    ]);
  }
  return decoded.key;
}
