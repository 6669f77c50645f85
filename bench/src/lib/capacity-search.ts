import { nextRate, type RateStep, type SearchOptions } from '@surge/stack/load';

/** How much of the machine's time the search may take. */
export interface SearchBudget {
  /** At most this many steps, whatever the search still wants. */
  maxSteps: number;
  /** The steps together end within this many milliseconds. */
  budgetMs: number;
}

/** Where the search stands: time spent so far and what one more step would cost. */
export interface SearchClock {
  elapsedMs: number;
  /**
   * What the next step is expected to take: the longest step so far (its shop, its pool
   * of users, its traffic, Locust's exit), or the caller's estimate before the first.
   */
  nextStepMs: number;
}

export type SearchDecision =
  | { kind: 'step'; rate: number }
  | {
      kind: 'done';
      /** converged: the search knows the rate within its resolution; the others cut it short. */
      reason: 'converged' | 'max-steps' | 'budget';
    };

/**
 * The next arrival rate of the capacity search, or why it ends: doubling from the start
 * rate until a step misses an SLO (halving while even the start misses), then bisecting
 * between the best pass and the lowest miss (infra/stack/src/load/rate-search.ts, the
 * scaling run's search), cut short when the next step would exceed the step count or the
 * time budget. The run is bounded either way: a bench that runs until it converges on a
 * noisy machine may never stop.
 */
export function planNextStep(
  steps: RateStep[],
  search: SearchOptions,
  budget: SearchBudget,
  clock: SearchClock,
): SearchDecision {
  const rate = nextRate(steps, search);
  if (rate === undefined) return { kind: 'done', reason: 'converged' };
  if (steps.length >= budget.maxSteps) return { kind: 'done', reason: 'max-steps' };
  // The first step always runs: a capacity run without a single step measured nothing.
  if (steps.length > 0 && clock.elapsedMs + clock.nextStepMs > budget.budgetMs)
    return { kind: 'done', reason: 'budget' };
  return { kind: 'step', rate };
}

/**
 * What the steps say about the capacity: the highest rate that met every SLO and the
 * lowest that missed one above it (the true figure lies in between), 0 and undefined
 * when none passed or none failed.
 */
export function capacityBracket(steps: RateStep[]): { best: number; lowestMiss: number | undefined } {
  const best = Math.max(0, ...steps.filter((step) => step.passed).map((step) => step.rate));
  const misses = steps.filter((step) => !step.passed && step.rate > best).map((step) => step.rate);
  return { best, lowestMiss: misses.length > 0 ? Math.min(...misses) : undefined };
}
