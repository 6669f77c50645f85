/**
 * Faults the simulator can be told to inject (development and tests only): the ways a
 * real processor fails a caller. Process-local state: one simulator process, one set
 * of faults, which is all a simulator needs.
 */
export interface Faults {
  /** Delay before a request is handled; the request is still processed if the caller gave up. */
  latencyMs: number;
  /** Share (0..1) of requests answered with a 500 before anything is done. */
  errorRate: number;
  /** Never answer and do nothing, until the caller gives up. */
  hang: boolean;
  /** Commit a new capture, then close the connection without answering: the "lost response". */
  dropAfterCapture: boolean;
}

export const NO_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  hang: false,
  dropAfterCapture: false,
});

export class FaultSwitch {
  private faults: Readonly<Faults> = NO_FAULTS;

  get current(): Readonly<Faults> {
    return this.faults;
  }

  /** PUT semantics: what is not given is switched off. */
  replace(faults: { [K in keyof Faults]?: Faults[K] | undefined }): Readonly<Faults> {
    this.faults = Object.freeze({
      latencyMs: faults.latencyMs ?? NO_FAULTS.latencyMs,
      errorRate: faults.errorRate ?? NO_FAULTS.errorRate,
      hang: faults.hang ?? NO_FAULTS.hang,
      dropAfterCapture: faults.dropAfterCapture ?? NO_FAULTS.dropAfterCapture,
    });
    return this.faults;
  }

  clear(): void {
    this.faults = NO_FAULTS;
  }

  /** Whether this request draws a simulated 500; `random` is injectable for tests. */
  failsNow(random: () => number = Math.random): boolean {
    return this.faults.errorRate > 0 && random() < this.faults.errorRate;
  }
}
