import type { OutgoingNotification } from './notification';
import type { Mailer, NotificationMetrics, NotificationStore } from './ports';

export interface DeliveryDeps {
  store: NotificationStore;
  mailer: Mailer;
  metrics: NotificationMetrics;
  maxSendAttempts: number;
}

export type DeliveryResult =
  { outcome: 'sent' } | { outcome: 'send_failed' | 'gave_up'; error: unknown; attempts: number };

/**
 * Sends one leased notification, then marks it SENT. Why in this order:
 * - sending inside the event's transaction, before the commit, resends on redelivery
 *   whenever the process dies between the SMTP server's OK and the commit;
 * - committing the row as done and sending afterwards loses the email if the process
 *   dies in between.
 * Committed PENDING first, nothing is lost: the lease runs out and the retry job sends it.
 * What remains is a crash between the SMTP OK and `markSent`: that one email goes out
 * twice, because SMTP has no idempotency key. The copy carries the same Message-ID.
 */
export async function deliverNotification(
  deps: DeliveryDeps,
  notification: OutgoingNotification,
): Promise<DeliveryResult> {
  try {
    await deps.mailer.send({
      notificationId: notification.id,
      to: notification.recipient,
      subject: notification.subject,
      text: notification.body,
    });
  } catch (error) {
    const attempts = notification.attempts + 1;
    const giveUp = attempts >= deps.maxSendAttempts;
    await deps.store.markFailed(notification.id, describe(error), giveUp ? null : retryDelayMs(attempts));
    const outcome = giveUp ? 'gave_up' : 'send_failed';
    deps.metrics.count(notification.type, outcome);
    return { outcome, error, attempts };
  }
  await deps.store.markSent(notification.id);
  deps.metrics.count(notification.type, 'sent');
  return { outcome: 'sent' };
}

/** 5 s, 10 s, 20 s ... capped at 10 minutes: an SMTP outage is not hammered. */
export function retryDelayMs(attempts: number): number {
  return Math.min(10 * 60_000, 5_000 * 2 ** (attempts - 1));
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
}
