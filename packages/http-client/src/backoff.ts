export interface RetryOptions {
  /** Attempts in all, the first one included. */
  maxAttempts?: number;
  /** Ceiling of the first retry's wait; doubles with every further retry. */
  baseDelayMs?: number;
  /** No wait is longer than this, however many retries came before. */
  maxDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

/**
 * Three attempts: a second one rides out a blip (a restarting instance, a reset
 * connection); a fourth would mostly add load to an upstream that is really down, which
 * the breaker handles better. Waits start at up to 50 ms and stay under a second, because
 * retries happen inside a caller's request and share its timeout.
 */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000 };

export function retryPolicyOf(options: RetryOptions | boolean | undefined): RetryPolicy | undefined {
  if (!options) return undefined;
  return { ...DEFAULT_RETRY, ...(options === true ? {} : options) };
}

/**
 * Exponential backoff with full jitter: the wait before retry `n` (1 for the first) is
 * uniform in [0, min(max, base * 2^(n-1))). Without the jitter, every caller that failed
 * together retries together, and the upstream sees the same spike again at each step.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry - 1, 30));
  return Math.floor(random() * ceiling);
}
