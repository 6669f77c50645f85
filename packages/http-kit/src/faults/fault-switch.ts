import { z } from 'zod';

/**
 * Faults a service can be told to inject (development only; see fault-injection.ts):
 * the ways a real dependency fails its callers. Process-local: each instance of a
 * service has its own switch, and `npm run stack -- fault` sets every instance.
 */
export interface Faults {
  /** Delay before a request is handled; the request is still handled if the caller gave up. */
  latencyMs: number;
  /** Share (0..1) of requests answered with a FAULT_INJECTED 500 before anything is done. */
  errorRate: number;
  /** Never answer and do nothing, until the caller gives up (its timeout must fire). */
  hang: boolean;
  /**
   * The handler does its work, commit included, then the connection is destroyed without
   * an answer: the "lost response". Only answers of requests that changed something.
   */
  dropAfterCommit: boolean;
}

export const NO_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  hang: false,
  dropAfterCommit: false,
});

/**
 * PUT /_control/faults. What is not given is switched off (PUT semantics).
 * `dropAfterCapture` is the payment-provider simulator's older name for dropAfterCommit,
 * still accepted so existing scripts and tests keep working.
 */
export const faultsBody = z
  .object({
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    hang: z.boolean().optional(),
    dropAfterCommit: z.boolean().optional(),
    dropAfterCapture: z.boolean().optional(),
  })
  .strict();

export class FaultSwitch {
  private faults: Readonly<Faults> = NO_FAULTS;

  get current(): Readonly<Faults> {
    return this.faults;
  }

  replace(faults: z.infer<typeof faultsBody>): Readonly<Faults> {
    this.faults = Object.freeze({
      latencyMs: faults.latencyMs ?? NO_FAULTS.latencyMs,
      errorRate: faults.errorRate ?? NO_FAULTS.errorRate,
      hang: faults.hang ?? NO_FAULTS.hang,
      dropAfterCommit: faults.dropAfterCommit ?? faults.dropAfterCapture ?? NO_FAULTS.dropAfterCommit,
    });
    return this.faults;
  }

  clear(): void {
    this.faults = NO_FAULTS;
  }

  /** Whether this request draws an injected error; `random` is injectable for tests. */
  failsNow(random: () => number = Math.random): boolean {
    return this.faults.errorRate > 0 && random() < this.faults.errorRate;
  }
}
