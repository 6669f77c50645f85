import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext } from '@surge/logger';

/** Accept a caller's id only when it is short and plain, so it is safe to log and echo. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `x-request-id` when sane), echoes it on the
 * response and makes it the context of every log line written while handling it.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const offered = req.header('x-request-id');
    const id = offered && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    runWithContext({ requestId: id }, next);
  };
}
