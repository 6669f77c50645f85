/**
 * `promise`, or a rejection naming `what` once `timeoutMs` has passed: a Redis call on a
 * request's path may not hold the request longer than its budget, whatever ioredis does
 * meanwhile (it may still be reconnecting). The timer is cleared either way.
 */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
