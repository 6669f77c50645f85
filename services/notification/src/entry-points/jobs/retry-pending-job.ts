import type { Logger } from '@surge/logger';
import type { DeliveryDeps } from '../../domain/deliver-notification';
import { retryPendingNotifications } from '../../domain/retry-pending-notifications';

export interface Job {
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, sends the notifications still PENDING after their lease or backoff
 * (SMTP was down, or a process died between commit and send). One round at a time; stop
 * waits for the round in progress, so the pool is not closed under it.
 */
export function startRetryPendingJob(deps: DeliveryDeps, logger: Logger, intervalMs: number): Job {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const round = async (): Promise<void> => {
    try {
      for (const { id, result } of await retryPendingNotifications(deps)) {
        if (result.outcome === 'sent') logger.info({ notificationId: id }, 'pending email sent');
        else
          logger.warn({ notificationId: id, err: result.error, attempts: result.attempts }, result.outcome);
      }
    } catch (error) {
      logger.warn({ err: error }, 'retrying pending emails failed');
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
