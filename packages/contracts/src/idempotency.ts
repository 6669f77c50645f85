import { z } from 'zod';

/**
 * The one `Idempotency-Key` rule on every hop (client → order, order → payment, payment →
 * provider): 8 to 255 visible ASCII characters, so a key is safe to store, log and put in
 * a URL, and long enough not to collide by accident. Each hop once had its own (8..255,
 * 1..255 any characters, 1..255 printable), so a key one hop accepted the next refused.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{8,255}$/;

export const idempotencyKey = z
  .string({ error: 'is required' })
  .regex(IDEMPOTENCY_KEY_PATTERN, '8 to 255 visible ASCII characters');

/** RFC 9110 §9.2.2: sending these twice has the effect of sending them once. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * The one "may this request be sent again?" rule, for the gateway's retries to another
 * instance and every service client's retries: an idempotent method, or a POST with an
 * `Idempotency-Key` (the receiver then answers a repeat with the first answer, or 409
 * while the first still runs). PATCH and an unkeyed POST never: the first attempt may
 * have taken effect.
 */
export function isSafeToRepeat(method: string, key: string | undefined): boolean {
  if (IDEMPOTENT_METHODS.has(method.toUpperCase())) return true;
  return method.toUpperCase() === 'POST' && key !== undefined && key.trim() !== '';
}
