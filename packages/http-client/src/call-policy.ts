import { isSafeToRepeat } from '@surge/contracts';

/**
 * Which answers say "the upstream is in trouble" (they count against its breaker and
 * may be retried) and which calls are safe to send twice.
 */

/**
 * 5xx (except 501, which is a definite "not supported", not trouble), 429 and 503:
 * the upstream is failing or asking for less load. Every other 4xx is a healthy answer
 * to a request it did not like (a 404 or a 409 says the service works); it must never
 * open a breaker or be retried, since the same request gets the same answer.
 */
export function isFailureStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

export interface IdempotencyHints {
  method?: string;
  headers?: Record<string, string>;
  /** The caller knows better than the method: true for a POST keyed by an order id, false to forbid retries. */
  idempotent?: boolean;
}

/**
 * A call may be repeated when the caller says so, else by the contract's one rule
 * (isSafeToRepeat: an idempotent method, or a POST with an `Idempotency-Key`).
 */
export function isIdempotentCall(call: IdempotencyHints): boolean {
  if (call.idempotent !== undefined) return call.idempotent;
  const key = Object.entries(call.headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key');
  return isSafeToRepeat(call.method ?? 'GET', key?.[1]);
}
