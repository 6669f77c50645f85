import { randomUUID } from 'node:crypto';
import type { Request } from 'express';

/** Accept a caller's id only when it is short and plain, so it is safe to log and echo. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's id: the caller's `x-request-id` when sane, else a new one. The request
 * middleware (request-basics.ts) echoes it on the response and makes it the context of
 * every log line written while handling the request.
 */
export function requestIdOf(req: Request): string {
  const offered = req.headers['x-request-id'];
  return typeof offered === 'string' && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
}
