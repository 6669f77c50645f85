/** One step of a scaling search: an arrival rate held for a while, and whether it met every SLO. */
export interface RateStep {
  rate: number;
  passed: boolean;
}

export interface SearchOptions {
  startRate: number;
  /** Stop when the gap between the best pass and the lowest fail is under this share. */
  resolution: number;
  /** Give up below this rate (the service meets no SLO at all). */
  minRate: number;
  maxRate: number;
}

/**
 * The next arrival rate to try when looking for the highest one that still meets the SLO:
 * doubles from `startRate` until a step fails (halves while even the start fails), then
 * bisects between the best pass and the lowest fail. Undefined when the search is done.
 */
export function nextRate(steps: RateStep[], options: SearchOptions): number | undefined {
  if (steps.length === 0) return options.startRate;
  const passes = steps.filter((step) => step.passed).map((step) => step.rate);
  const fails = steps.filter((step) => !step.passed).map((step) => step.rate);
  const best = passes.length > 0 ? Math.max(...passes) : undefined;
  const lowestFail = fails.length > 0 ? Math.min(...fails) : undefined;
  if (best === undefined) {
    const lower = Math.floor(lowestFail! / 2);
    return lower >= options.minRate ? lower : undefined;
  }
  if (lowestFail === undefined) {
    const higher = best * 2;
    return best >= options.maxRate ? undefined : Math.min(higher, options.maxRate);
  }
  if (lowestFail - best <= Math.max(1, best * options.resolution)) return undefined;
  return Math.round((best + lowestFail) / 2);
}

/** The highest rate that passed, 0 when none did. */
export function highestPassing(steps: RateStep[]): number {
  return Math.max(0, ...steps.filter((step) => step.passed).map((step) => step.rate));
}

/** Throughput at N instances over N times the throughput at one: 1 is perfect scaling. */
export function scalingEfficiency(throughputAtOne: number, instances: number, throughput: number): number {
  return throughputAtOne > 0 ? throughput / (instances * throughputAtOne) : 0;
}
