/**
 * Passive outlier ejection: an instance that keeps failing proxied requests is taken
 * out of rotation for a while, longer each time it happens again.
 */
export interface EjectionPolicy {
  /** Consecutive failed proxied requests (connection failures, timeouts) that eject an instance. */
  consecutiveFailures: number;
  /** First ejection; each further one doubles it, up to maxMs. */
  baseMs: number;
  maxMs: number;
  /** At most this share of an upstream's instances may be ejected at once. */
  maxEjectedPercent: number;
}

/**
 * How long the next ejection lasts: base, 2x base, 4x base... capped. Doubling makes
 * an instance that flaps (up just long enough to fail again) cost less each round,
 * while an instance that fails once after a restart is back quickly.
 */
export function ejectionDurationMs(previousEjections: number, policy: EjectionPolicy): number {
  const factor = 2 ** Math.min(previousEjections, 30);
  return Math.min(policy.baseMs * factor, policy.maxMs);
}

export interface EjectionCounts {
  /** Instances of the upstream. */
  total: number;
  /** Instances ejected right now. */
  ejected: number;
  /** Instances that would still take traffic without this one (healthy, not ejected). */
  othersAvailable: number;
}

/**
 * Whether one more instance may be ejected. Never the last available one, and never
 * more than maxEjectedPercent: when every instance fails at once the cause is mostly
 * shared (their database, a dependency), and ejecting them one by one would only pile
 * all the traffic onto the survivor. With one or two instances and the default 50 %,
 * that means at most one of two, and a single instance is never ejected.
 */
export function mayEject(counts: EjectionCounts, policy: EjectionPolicy): boolean {
  if (counts.othersAvailable < 1) return false;
  return counts.ejected + 1 <= Math.floor((counts.total * policy.maxEjectedPercent) / 100);
}
