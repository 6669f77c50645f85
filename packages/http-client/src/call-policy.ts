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

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

export interface IdempotencyHints {
  method?: string;
  headers?: Record<string, string>;
  /** The caller knows better than the method: true for a POST keyed by an order id, false to forbid retries. */
  idempotent?: boolean;
}

/**
 * A call may be repeated when doing it twice has the effect of doing it once: by HTTP
 * semantics (GET, HEAD, PUT, DELETE), by an `Idempotency-Key` the upstream dedupes on,
 * or because the caller says so.
 */
export function isIdempotentCall(call: IdempotencyHints): boolean {
  if (call.idempotent !== undefined) return call.idempotent;
  if (IDEMPOTENT_METHODS.has(call.method ?? 'GET')) return true;
  return Object.keys(call.headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');
}
