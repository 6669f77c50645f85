import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §9.2.2: repeating them has the same effect as sending them once. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Whether the gateway may send this request a second time, to another instance, when
 * the first attempt failed before any answer. A POST qualifies only with an
 * `Idempotency-Key`: the service then answers a repeat with the first answer (or 409
 * while the first is still running) instead of doing the work twice. PATCH and a POST
 * without a key never do: the first attempt may have taken effect.
 */
export function isReplayable(method: string, headers: IncomingHttpHeaders): boolean {
  if (IDEMPOTENT_METHODS.has(method)) return true;
  const key = headers['idempotency-key'];
  return method === 'POST' && typeof key === 'string' && key.trim() !== '';
}
