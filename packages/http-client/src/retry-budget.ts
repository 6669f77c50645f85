export interface RetryBudgetOptions {
  /** Retries may add at most this share of the calls made in the window (0.1: 10 % more load). */
  ratio?: number;
  /** Retries allowed per second of the window whatever the traffic, so a quiet client can still retry. */
  minPerSecond?: number;
  windowMs?: number;
}

export const DEFAULT_RETRY_BUDGET: Required<RetryBudgetOptions> = {
  ratio: 0.1,
  minPerSecond: 1,
  windowMs: 10_000,
};

const SLOTS = 10;

interface Slot {
  index: number;
  calls: number;
  retries: number;
}

/**
 * A token bucket over a sliding window (Finagle's retry budget): every call deposits
 * `ratio` of a token, every retry takes one, and `minPerSecond * window` tokens are
 * always there. Per-call retry limits alone multiply load by the attempt count exactly
 * when an upstream is struggling; a budget keeps retries at a small share of the
 * traffic, so they help with blips and cannot become a retry storm.
 *
 * The window is 10 slots, so memory stays constant whatever the traffic.
 */
export class RetryBudget {
  private readonly options: Required<RetryBudgetOptions>;
  private readonly slotMs: number;
  private readonly slots: Slot[] = Array.from({ length: SLOTS }, () => ({ index: -1, calls: 0, retries: 0 }));

  constructor(
    options: RetryBudgetOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_RETRY_BUDGET, ...options };
    this.slotMs = this.options.windowMs / SLOTS;
  }

  /** Counts a first attempt (never a retry). */
  recordCall(): void {
    this.current().calls += 1;
  }

  /** Takes a token for one retry; false when the budget is spent. */
  tryRetry(): boolean {
    const { calls, retries } = this.totals();
    const allowed = this.options.minPerSecond * (this.options.windowMs / 1000) + this.options.ratio * calls;
    if (retries + 1 > allowed) return false;
    this.current().retries += 1;
    return true;
  }

  private current(): Slot {
    const index = Math.floor(this.now() / this.slotMs);
    const slot = this.slots[index % SLOTS] as Slot;
    if (slot.index !== index) Object.assign(slot, { index, calls: 0, retries: 0 });
    return slot;
  }

  private totals(): { calls: number; retries: number } {
    const index = Math.floor(this.now() / this.slotMs);
    let calls = 0;
    let retries = 0;
    for (const slot of this.slots) {
      if (index - slot.index >= SLOTS) continue;
      calls += slot.calls;
      retries += slot.retries;
    }
    return { calls, retries };
  }
}
