import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/**
 * The header that carries a caller's remaining budget downstream, in milliseconds.
 *
 * Relative, not an absolute epoch time: an absolute deadline is only as good as the
 * agreement between two machines' clocks, and a skew of a second turns a 500 ms budget
 * into nothing or into three times itself. A remaining budget needs no shared clock; it
 * only overstates the budget by the network transit time, which is small next to any
 * budget worth sending (gRPC's `grpc-timeout` makes the same choice).
 */
export const DEADLINE_HEADER = 'x-deadline-ms';

/**
 * Larger budgets are clamped: a caller (or a forged header) must not be able to pin
 * timers and work in a service for hours.
 */
export const MAX_DEADLINE_MS = 5 * 60_000;

interface DeadlineContext {
  /** `performance.now()` time after which nobody waits for the answer any more. */
  expiresAt: number;
}

const storage = new AsyncLocalStorage<DeadlineContext>();

/**
 * Runs `fn` with a deadline `budgetMs` from now. Nested deadlines can only shrink the
 * budget: work done for a caller never gets more time than the caller has left.
 * Monotonic time, so a wall-clock adjustment cannot stretch or cut a budget.
 */
export function runWithDeadline<T>(budgetMs: number, fn: () => T): T {
  const proposed = performance.now() + Math.max(0, budgetMs);
  const outer = storage.getStore();
  const expiresAt = outer ? Math.min(outer.expiresAt, proposed) : proposed;
  return storage.run({ expiresAt }, fn);
}

/** Milliseconds left for the current request (0 once passed), or undefined when it has no deadline. */
export function remainingBudgetMs(): number | undefined {
  const context = storage.getStore();
  if (!context) return undefined;
  return Math.max(0, Math.floor(context.expiresAt - performance.now()));
}

/**
 * The budget a caller sent, or undefined when the header is absent or malformed: a bad
 * optional header must not fail a request that could otherwise be served.
 */
export function parseDeadlineHeader(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d{1,10}$/.test(text.trim())) return undefined;
  return Math.min(Number(text.trim()), MAX_DEADLINE_MS);
}
