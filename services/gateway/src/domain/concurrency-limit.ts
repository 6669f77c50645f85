export interface ConcurrencyLimitOptions {
  /** Requests admitted at once. */
  maxInflight: number;
  /** Requests that may wait for a slot; 0 turns waiting off. */
  maxQueued: number;
  /** How long a request may wait for a slot before it is refused. */
  maxWaitMs: number;
}

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  admit: (release: Release | undefined) => void;
  timer: NodeJS.Timeout;
}

/**
 * A counting semaphore with a short, bounded FIFO queue. A request either gets a slot
 * at once, waits a little for one (absorbing bursts shorter than maxWaitMs), or is
 * refused at once, so that overload costs the client a fast 503 rather than a slow
 * timeout for everybody.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly options: ConcurrencyLimitOptions) {}

  get inflight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** A slot at once when one is free (the release function), else undefined: then `acquire` may queue. */
  tryAcquire(): Release | undefined {
    if (this.active >= this.options.maxInflight) return undefined;
    this.active += 1;
    return this.releaser();
  }

  /**
   * Resolves to a release function, or to undefined when the request is refused.
   * `signal` withdraws a waiting request (its client went away).
   */
  acquire(signal?: AbortSignal): Promise<Release | undefined> {
    const free = this.tryAcquire();
    if (free) return Promise.resolve(free);
    const mayWait = this.options.maxWaitMs > 0 && this.waiters.length < this.options.maxQueued;
    if (!mayWait || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        admit: (release) => {
          clearTimeout(waiter.timer);
          signal?.removeEventListener('abort', withdraw);
          resolve(release);
        },
        timer: setTimeout(() => withdraw(), this.options.maxWaitMs),
      };
      const withdraw = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        waiter.admit(undefined);
      };
      signal?.addEventListener('abort', withdraw, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the longest waiter, so a burst cannot overtake the queue.
      const next = this.waiters.shift();
      if (next) next.admit(this.releaser());
      else this.active -= 1;
    };
  }
}
