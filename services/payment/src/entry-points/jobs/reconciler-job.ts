import type { Logger } from '@surge/logger';
import type { PaymentDeps } from '../../domain/ports';
import { reconcilePayments, type ReconcileOptions } from '../../domain/reconcile-payments';

export interface ReconcilerJobOptions extends ReconcileOptions {
  intervalMs: number;
  /** Runs a pass only if this instance leads (an advisory lock across instances). */
  asLeader: <T>(work: () => Promise<T>) => Promise<{ led: true; result: T } | { led: false }>;
  logger: Logger;
}

/**
 * Runs a reconciliation pass every interval, on one instance at a time. A timer that
 * re-arms after each pass (not setInterval): a slow provider never stacks passes.
 */
export class ReconcilerJob {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: PaymentDeps,
    private readonly options: ReconcilerJobOptions,
  ) {}

  start(): void {
    this.schedule();
  }

  /** Stops the timer and waits for a pass under way, so the pool is not closed under it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.runOnce().finally(() => this.schedule());
    }, this.options.intervalMs);
  }

  private async runOnce(): Promise<void> {
    const { logger } = this.options;
    try {
      const outcome = await this.options.asLeader(() => reconcilePayments(this.deps, this.options));
      if (!outcome.led) return;
      const { checked, settled, providerError } = outcome.result;
      if (settled > 0) logger.info({ checked, settled }, 'reconciled payments with the provider');
      if (providerError)
        logger.warn({ err: providerError, checked }, 'provider unavailable; reconciliation paused');
    } catch (error) {
      logger.error({ err: error }, 'reconciliation pass failed');
    }
  }
}
