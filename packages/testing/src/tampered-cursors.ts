/**
 * Cursors no API handed out, for the "any cursor we did not issue is a 400" tests of
 * every paginated route: garbage, empty, truncated, wrong type, wrong shape, and
 * well-formed envelopes of the route's own list with a field that must not reach SQL.
 * `issued` is a real nextCursor of the route (truncated and re-padded variants of it);
 * `list` is the route's list name in the cursor envelope (packages/contracts cursor.ts).
 */
export function tamperedCursors(issued: string, list: string): Array<[label: string, cursor: string]> {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const at = '2024-01-01T00:00:00.000Z';
  const id = '0b9c2d5e-3f1a-4c7b-9d2e-8f6a5b4c3d21';
  return [
    ['garbage', 'garbage'],
    ['empty', ''],
    ['truncated', issued.slice(0, Math.floor(issued.length / 2))],
    ['missing its last character', issued.slice(0, -1)],
    ['with padding', `${issued}=`],
    ['percent-encoded junk', '%00%ff'],
    ['a number', b64(42)],
    ['an object', b64({ createdAt: at, id })],
    ['the issue #10 cursor (dashes for a uuid)', b64(['2024-01-01T00:00:00Z', '-'.repeat(36)])],
    ['an envelope with dashes for a uuid', b64([1, list, at, '-'.repeat(36)])],
    ['an envelope with a bad date', b64([1, list, '2024-13-45T99:00:00.000Z', id])],
    ['an envelope with a number for a date', b64([1, list, 1704067200000, id])],
    ['an envelope with a NUL', b64([1, list, 'a\u0000b', id])],
    ['an envelope with nulls', b64([1, list, null, null])],
    ['an envelope of another list', b64([1, `not-${list}`, at, id])],
    ['a huge number', b64([1, list, 1e308, id])],
    ['too long', 'A'.repeat(5_000)],
  ];
}
