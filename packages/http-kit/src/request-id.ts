import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { ValidationError } from '@surge/errors';

/**
 * The longest `x-request-id` the public contract accepts (docs/api-contract.md; the
 * OpenAPI document's `RequestId` parameter says `maxLength: 128`).
 */
export const REQUEST_ID_MAX_LENGTH = 128;

/** Accept a caller's id only when it is short and plain, so it is safe to log and echo. */
const SANE_REQUEST_ID = new RegExp(`^[A-Za-z0-9._:-]{1,${REQUEST_ID_MAX_LENGTH}}$`);

/**
 * The request's id: the caller's `x-request-id` when sane, else a new one. The request
 * middleware (request-basics.ts) echoes it on the response and makes it the context of
 * every log line written while handling the request.
 */
export function requestIdOf(req: Request): string {
  const offered = req.headers['x-request-id'];
  return typeof offered === 'string' && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
}

/**
 * An `x-request-id` longer than the contract allows is a client mistake, answered with a
 * 400 like any other field that breaks its schema (an outside fuzzer sent 129 characters
 * and got a 200). One within the length but with other characters is still replaced, as
 * the contract says: it is the caller's label, and a strange one loses the caller nothing.
 */
export function requestIdProblem(req: Request): ValidationError | undefined {
  const offered = req.headers['x-request-id'];
  if (typeof offered !== 'string' || offered.length <= REQUEST_ID_MAX_LENGTH) return undefined;
  return new ValidationError('The x-request-id header is invalid', [
    { path: 'x-request-id', message: `at most ${REQUEST_ID_MAX_LENGTH} characters` },
  ]);
}
