import { decodeCursor, encodeCursor, filterFingerprint } from './cursor';
import type { CatalogFilters } from './product';

const filters: CatalogFilters = { q: undefined, category: 'Books', minPrice: 100, maxPrice: undefined };
const id = '0b6f3f1e-8a52-4a57-9a34-2f1f0c7d9e11';

describe('list cursors', () => {
  it('round-trips a browsing key, names with any characters included', () => {
    const fingerprint = filterFingerprint(filters);
    const key = { kind: 'name' as const, name: `Zoë's "best" <b>kettle</b> 🫖`, id };
    expect(decodeCursor(encodeCursor(key, fingerprint), fingerprint, 'name')).toEqual(key);
  });

  it('round-trips a search rank exactly', () => {
    const fingerprint = filterFingerprint({ ...filters, q: 'kettle' });
    const key = { kind: 'rank' as const, rank: 0.060792710632085800170898, id };
    expect(decodeCursor(encodeCursor(key, fingerprint), fingerprint, 'rank')).toEqual(key);
  });

  it('is opaque: URL-safe base64 without padding', () => {
    expect(encodeCursor({ kind: 'name', name: 'x', id }, 'f')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['JSON of the wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad id', Buffer.from(JSON.stringify([1, 'products:name', 'f', 'x', 'nope'])).toString('base64url')],
    [
      'a NUL in the name',
      Buffer.from(JSON.stringify([1, 'products:name', 'f', 'a\u0000', id])).toString('base64url'),
    ],
    [
      'the format before the shared codec',
      Buffer.from(JSON.stringify([1, 'f', 'n', 'x', id])).toString('base64url'),
    ],
    [
      'an unknown format',
      Buffer.from(JSON.stringify([2, 'products:name', 'f', 'x', id])).toString('base64url'),
    ],
    ['an oversize string', 'A'.repeat(5_000)],
    ['a negative rank', Buffer.from(JSON.stringify([1, 'products:rank', 'f', -1, id])).toString('base64url')],
  ])('rejects %s with a validation error naming the cursor', (label, raw) => {
    expect(() => decodeCursor(raw, 'f', label.includes('rank') ? 'rank' : 'name')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: 'cursor' })],
      }),
    );
  });

  it('rejects a cursor issued for other filters or another ordering', () => {
    const cursor = encodeCursor({ kind: 'name', name: 'x', id }, filterFingerprint(filters));
    const other = filterFingerprint({ ...filters, category: 'Garden' });
    expect(() => decodeCursor(cursor, other, 'name')).toThrow(/cursor is invalid/);
    expect(() => decodeCursor(cursor, filterFingerprint(filters), 'rank')).toThrow(/cursor is invalid/);
  });
});
