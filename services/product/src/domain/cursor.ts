import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '@surge/errors';
import type { CatalogFilters, CursorKey } from './product';

/**
 * Opaque list cursors: base64url of `[format, filter fingerprint, kind, sort value, id]`.
 * The fingerprint ties a cursor to the filters that produced it, so a cursor pasted
 * onto another query is a clear 400 instead of a silently odd page.
 */
const FORMAT = 1;
const MAX_CURSOR_LENGTH = 1_024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const payload = z.union([
  z.tuple([z.literal(FORMAT), z.string(), z.literal('n'), z.string().max(400), z.string().regex(UUID)]),
  z.tuple([
    z.literal(FORMAT),
    z.string(),
    z.literal('r'),
    z.number().finite().min(0),
    z.string().regex(UUID),
  ]),
]);

export function filterFingerprint(filters: CatalogFilters): string {
  const canonical = JSON.stringify([filters.q, filters.category, filters.minPrice, filters.maxPrice]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

export function encodeCursor(key: CursorKey, fingerprint: string): string {
  const tuple =
    key.kind === 'name'
      ? [FORMAT, fingerprint, 'n', key.name, key.id]
      : [FORMAT, fingerprint, 'r', key.rank, key.id];
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

/** Decodes a cursor made for these filters, or throws a 400 naming `cursor`. */
export function decodeCursor(raw: string, fingerprint: string, expected: CursorKey['kind']): CursorKey {
  const parsed = payload.safeParse(parseJson(raw));
  if (!parsed.success) throw invalidCursor('is not a cursor this API issued');
  const [, issuedFor, kind, value, id] = parsed.data;
  if (issuedFor !== fingerprint) throw invalidCursor('was issued for other filters');
  if (kind === 'n' && expected === 'name') return { kind: 'name', name: value as string, id };
  if (kind === 'r' && expected === 'rank') return { kind: 'rank', rank: value as number, id };
  throw invalidCursor('was issued for another ordering');
}

function parseJson(raw: string): unknown {
  if (raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) return undefined;
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function invalidCursor(reason: string): ValidationError {
  return new ValidationError('The cursor is invalid', [{ path: 'cursor', message: `${reason}` }]);
}
