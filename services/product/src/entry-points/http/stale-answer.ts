import type { Response } from 'express';

/**
 * Marks an answer served from the stale cache copy while the database was unreachable
 * (docs/api-contract.md allows extra headers; the body is the usual one):
 *
 * - `x-cache: stale`, for clients and tests that want to know;
 * - `Warning: 110 - "Response is Stale"` (RFC 7234; RFC 9111 retired the header, but
 *   clients that read it still understand it and others ignore it);
 * - `cache-control: no-store`, so no proxy or browser keeps an answer that may be old
 *   after the database is back.
 */
export function markStale(res: Response, stale: boolean): void {
  if (!stale) return;
  res.set({ 'x-cache': 'stale', warning: '110 - "Response is Stale"', 'cache-control': 'no-store' });
}
