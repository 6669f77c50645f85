import { cursorField, defineCursor } from './cursor';

const orders = defineCursor({
  list: 'orders',
  fields: [cursorField.instant, cursorField.uuid],
  toFields: (position: { at: Date; id: string }) => [position.at.toISOString(), position.id],
  fromFields: ([at, id]) => ({ at, id }),
});
const precise = defineCursor({
  list: 'precise',
  fields: [cursorField.microInstant, cursorField.uuid],
  toFields: (position: { at: string; id: string }) => [position.at, position.id],
  fromFields: ([at, id]) => ({ at, id }),
});
const ranked = defineCursor({
  list: 'ranked',
  fields: [cursorField.text(20), cursorField.number(0, 1)],
  toFields: (position: { name: string; rank: number }) => [position.name, position.rank],
  fromFields: ([name, rank]) => ({ name, rank }),
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const id = '0b9c2d5e-3f1a-4c7b-9d2e-8f6a5b4c3d21';

describe('a cursor codec', () => {
  it('decodes what it encoded', () => {
    const at = new Date('2024-01-01T00:00:00.123Z');
    expect(orders.decode(orders.encode({ at, id }))).toEqual({ at, id });
    expect(ranked.decode(ranked.encode({ name: 'Ünïcode ☃', rank: 0.5 }))).toEqual({
      name: 'Ünïcode ☃',
      rank: 0.5,
    });
  });

  it('keeps microseconds, and refuses anything else in their place', () => {
    const position = { at: '2024-01-01T00:00:00.123456Z', id };
    expect(precise.decode(precise.encode(position))).toEqual(position);
    for (const at of [
      '2024-01-01T00:00:00.123Z',
      '2024-02-31T00:00:00.000000Z',
      '2024-01-01 00:00:00.123456Z',
    ])
      expect(() => precise.decode(b64([1, 'precise', at, id]))).toThrow(/cursor is invalid/);
  });

  it.each([
    ['empty', orders, ''],
    ['not base64url', orders, '!!!!'],
    ['padded base64', orders, `${b64([1, 'orders'])}=`],
    ['not JSON', orders, Buffer.from('hello').toString('base64url')],
    ['invalid UTF-8', orders, Buffer.from([0x5b, 0xff, 0x5d]).toString('base64url')],
    ['an object', orders, b64({ at: '2024-01-01T00:00:00.000Z', id })],
    ['the old shape (no format or list)', orders, b64(['2024-01-01T00:00:00.000Z', id])],
    ['another format', orders, b64([2, 'orders', '2024-01-01T00:00:00.000Z', id])],
    ['another list', orders, b64([1, 'ranked', '2024-01-01T00:00:00.000Z', id])],
    ['a uuid of dashes', orders, b64([1, 'orders', '2024-01-01T00:00:00.000Z', '-'.repeat(36)])],
    ['an uppercase uuid', orders, b64([1, 'orders', '2024-01-01T00:00:00.000Z', id.toUpperCase()])],
    ['a date without time', orders, b64([1, 'orders', '2024-01-01', id])],
    ['a rolled-over date', orders, b64([1, 'orders', '2024-02-31T00:00:00.000Z', id])],
    ['year 0', orders, b64([1, 'orders', '0000-01-01T00:00:00.000Z', id])],
    ['a number for the time', orders, b64([1, 'orders', 1704067200000, id])],
    ['a missing field', orders, b64([1, 'orders', '2024-01-01T00:00:00.000Z'])],
    ['an extra field', orders, b64([1, 'orders', '2024-01-01T00:00:00.000Z', id, 'x'])],
    ['a NUL in text', ranked, b64([1, 'ranked', 'a\u0000b', 0.5])],
    ['text too long', ranked, b64([1, 'ranked', 'x'.repeat(21), 0.5])],
    ['a number out of range', ranked, b64([1, 'ranked', 'a', 2])],
    ['a string for a number', ranked, b64([1, 'ranked', 'a', '0.5'])],
    ['too long', orders, 'A'.repeat(1_025)],
  ] as const)('refuses %s with a 400 naming the cursor', (_label, codec, raw) => {
    const decode = () => (codec as { decode(raw: string): unknown }).decode(raw);
    expect(decode).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    try {
      decode();
    } catch (error) {
      expect((error as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('cursor');
    }
  });
});
