import type { Bucket } from './request-points';

/** A chaos scenario's fault, as the outage run injected and recovered it (epoch ms). */
export interface FaultWindow {
  scenario: string;
  from: number;
  to: number;
}

export interface HealthBar {
  maxErrorRate: number;
  maxP95Ms: number;
  /** How many healthy buckets in a row count as recovered. */
  stableBuckets: number;
}

/**
 * Seconds from the end of a fault until the service is healthy again: the start of the
 * first run of `stableBuckets` buckets that meet the bar (error rate and p95), counted
 * from the fault's end. 0 when it was healthy right away; undefined when it never got
 * there before the run ended (or before the next fault began, `until`).
 */
export function timeToRecover(
  buckets: Bucket[],
  window: FaultWindow,
  bar: HealthBar,
  until = Number.POSITIVE_INFINITY,
): number | undefined {
  const healthy = (bucket: Bucket) =>
    bucket.requestsPerSecond > 0 && bucket.errorRate <= bar.maxErrorRate && bucket.p95Ms <= bar.maxP95Ms;
  const width = buckets.length > 1 ? buckets[1]!.at - buckets[0]!.at : 1000;
  // The first bucket wholly after the fault's end.
  const after = buckets.filter((bucket) => bucket.at >= window.to && bucket.at + width <= until);
  for (let index = 0; index + bar.stableBuckets <= after.length; index += 1) {
    if (after.slice(index, index + bar.stableBuckets).every(healthy))
      return Math.max(0, Math.round((after[index]!.at - window.to) / 1000));
  }
  return undefined;
}
