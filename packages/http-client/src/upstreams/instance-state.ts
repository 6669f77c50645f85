import { ejectionDurationMs, type EjectionPolicy } from './ejection-policy';

/**
 * What the gateway believes about one upstream instance:
 * - `healthy`: takes traffic;
 * - `ejected`: failed too many proxied requests in a row, out until its ejection ends;
 * - `unhealthy`: failed its active health checks (`/health/ready`), out until it passes them again.
 */
export type InstanceCondition = 'healthy' | 'ejected' | 'unhealthy';

export interface HealthCheckPolicy {
  /** Consecutive failed probes that take a healthy instance out. */
  unhealthyThreshold: number;
  /** Consecutive passed probes that bring an unhealthy instance back. */
  healthyThreshold: number;
}

export type HealthTransition = 'became-healthy' | 'became-unhealthy';

/**
 * The health of one instance from both sources, active probes and passive request
 * outcomes, as a small state machine. Pure: the caller passes the time, so every rule
 * has a unit test without timers.
 */
export class InstanceState {
  private passesProbes: boolean;
  /** Consecutive probe results that disagree with the current verdict. */
  private probeStreak = 0;
  private requestFailures = 0;
  private ejectedUntil = 0;
  /** Ejections in a row without a quiet period between them; sets the next duration. */
  private ejections = 0;

  constructor(
    private readonly health: HealthCheckPolicy,
    private readonly ejection: EjectionPolicy,
    initiallyHealthy: boolean,
  ) {
    this.passesProbes = initiallyHealthy;
  }

  /** Failing probes outranks an ejection: it says more (the instance says it cannot serve). */
  condition(now: number): InstanceCondition {
    if (!this.passesProbes) return 'unhealthy';
    return now < this.ejectedUntil ? 'ejected' : 'healthy';
  }

  /** Counts one probe result; returns the change of verdict, if this result made one. */
  recordProbe(passed: boolean): HealthTransition | undefined {
    if (passed === this.passesProbes) {
      this.probeStreak = 0;
      return undefined;
    }
    this.probeStreak += 1;
    const needed = this.passesProbes ? this.health.unhealthyThreshold : this.health.healthyThreshold;
    if (this.probeStreak < needed) return undefined;
    this.passesProbes = passed;
    this.probeStreak = 0;
    this.requestFailures = 0;
    return passed ? 'became-healthy' : 'became-unhealthy';
  }

  /** The instance answered (whatever the status): its failure streak is over. */
  recordRequestSuccess(): void {
    this.requestFailures = 0;
  }

  /** Counts a failed request; true once the streak is long enough to eject the instance. */
  recordRequestFailure(): boolean {
    this.requestFailures += 1;
    return this.requestFailures >= this.ejection.consecutiveFailures;
  }

  /**
   * Takes the instance out and returns for how long. An instance that stayed clean for
   * a whole maximum ejection period since its last one starts again from the base
   * duration, so one bad minute last week does not cost two minutes today.
   */
  eject(now: number): number {
    if (this.ejections > 0 && now - this.ejectedUntil >= this.ejection.maxMs) this.ejections = 0;
    const durationMs = ejectionDurationMs(this.ejections, this.ejection);
    this.ejections += 1;
    this.ejectedUntil = now + durationMs;
    this.requestFailures = 0;
    return durationMs;
  }
}
