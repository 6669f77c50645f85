import type { Logger } from '@surge/logger';
import { recoverOrders } from '../../domain/recover-orders';
import type { SagaDeps } from '../../domain/saga-deps';

/**
 * Runs the recovery pass every `intervalMs`, or again at once while there is a backlog.
 * Every order instance runs one; the database leases keep them from colliding.
 */
export class RecoveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: SagaDeps,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.schedule(this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass();
    }, delayMs);
  }

  private async pass(): Promise<void> {
    let worked = 0;
    try {
      worked = await recoverOrders(this.deps);
    } catch (error) {
      this.logger.warn({ err: error }, 'recovery pass failed');
    }
    this.schedule(worked > 0 ? 0 : this.intervalMs);
  }
}
