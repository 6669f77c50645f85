import type { IncomingHttpHeaders } from 'node:http';
import { isSafeToRepeat } from '@surge/contracts';

/**
 * Whether the gateway may send this request a second time, to another instance, when
 * the first attempt failed before any answer: the contract's one rule (isSafeToRepeat).
 */
export function isReplayable(method: string, headers: IncomingHttpHeaders): boolean {
  const key = headers['idempotency-key'];
  return isSafeToRepeat(method, typeof key === 'string' ? key : undefined);
}
