import type { Response } from 'express';

/**
 * Headers every answer carries, whatever produced it (a route, a 404, an error, the
 * deadline's 504): `nosniff` so a browser never runs a JSON or text answer as script or
 * style, and no caching by default, since most answers are personal (a profile, an
 * order, a cart) and a shared cache must never hand one user's data to another. A route
 * whose answer is public (the catalog, the API document) sets its own Cache-Control.
 */
export function setSecurityHeaders(res: Response): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
}
