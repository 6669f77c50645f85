import { errors as undiciErrors } from 'undici';
import type { CallResult } from './call-types';

/**
 * An answer whose status says the upstream is in trouble (see isFailureStatus). Thrown
 * inside the breaker so it counts as a failure; the caller still gets the answer itself
 * once retries are over, since a 503 can mean something to it (payment: outcome unknown).
 */
export class FailedAnswer extends Error {
  constructor(readonly answer: CallResult<unknown>) {
    super(`answered ${answer.status}`);
  }
}

/** True when an attempt ran out of time (undici's own timers or the abort signal's). */
export function isTimeout(error: unknown): boolean {
  return (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    // By name, not instanceof: AbortSignal.timeout throws a DOMException, which is not an
    // `Error` of every realm (jest's sandbox, for one).
    ['TimeoutError', 'AbortError'].includes((error as { name?: unknown } | null)?.name as string)
  );
}
