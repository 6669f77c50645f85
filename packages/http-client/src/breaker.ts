import CircuitBreaker from 'opossum';
import type { BreakerState } from './client-events';

export interface BreakerOptions {
  /** Opens when at least this share of the calls in the window failed (percent). */
  errorThresholdPercentage?: number;
  /** The rolling window the share is measured over. */
  rollingWindowMs?: number;
  /** Fewer calls than this in the window never open it: two failures out of three say little. */
  volumeThreshold?: number;
  /** How long it stays open before one trial call may go through (half-open). */
  resetTimeoutMs?: number;
}

/**
 * Seed 001: "if a service fails 50% of requests in the last 10 seconds, stop sending it
 * requests for 30 seconds". Ten calls at least, so a quiet moment with one unlucky call
 * does not cut an upstream off.
 */
export const DEFAULT_BREAKER: Required<BreakerOptions> = {
  errorThresholdPercentage: 50,
  rollingWindowMs: 10_000,
  volumeThreshold: 10,
  resetTimeoutMs: 30_000,
};

type Task = () => Promise<unknown>;

/**
 * One upstream's circuit breaker, on opossum. The task it runs does the HTTP call and
 * rejects for what counts as the upstream's failure (see ServiceClient): a refused or
 * reset connection, a timeout, a failure status. A timeout counts even when the caller's
 * deadline made it short: callers behind a gateway all have budgets shorter than our own
 * timeout, and an upstream that hangs for all of them must still trip the breaker.
 *
 * opossum's own timeout is off: every call already carries its budget, and a fixed
 * breaker timeout would cut calls that were given longer on purpose.
 */
export class UpstreamBreaker {
  private readonly breaker: CircuitBreaker<[Task], unknown>;
  private readonly options: Required<BreakerOptions>;
  private openedAt = 0;

  constructor(options: BreakerOptions, onTransition: (state: BreakerState) => void) {
    this.options = { ...DEFAULT_BREAKER, ...options };
    this.breaker = new CircuitBreaker((task: Task) => task(), {
      timeout: false,
      // opossum opens strictly above the threshold; the seed means "50 % opens it".
      errorThresholdPercentage: this.options.errorThresholdPercentage - 1e-9,
      rollingCountTimeout: this.options.rollingWindowMs,
      rollingCountBuckets: 10,
      volumeThreshold: this.options.volumeThreshold,
      resetTimeout: this.options.resetTimeoutMs,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      onTransition('open');
    });
    this.breaker.on('halfOpen', () => onTransition('half-open'));
    this.breaker.on('close', () => onTransition('closed'));
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Runs the task unless the breaker refuses it; a refusal rejects at once (see isRefusal). */
  async run<T>(task: () => Promise<T>): Promise<T> {
    return (await this.breaker.fire(task)) as T;
  }

  /** When the next trial call may go through, for a client's Retry-After. */
  retryAfterMs(): number {
    return Math.max(0, this.openedAt + this.options.resetTimeoutMs - Date.now());
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** True for opossum's fast refusals: open (or half-open with its trial in flight), or shut down. */
export function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EOPENBREAKER' || code === 'ESHUTDOWN';
}
