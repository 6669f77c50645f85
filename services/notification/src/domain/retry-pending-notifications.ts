import { deliverNotification, type DeliveryDeps, type DeliveryResult } from './deliver-notification';

/**
 * Sends notifications that are still PENDING after their lease or backoff ran out:
 * SMTP was down when they were recorded, or the process died between commit and send.
 * Leases make two replicas (or a replica and its own consumer) never send the same row at once.
 */
export async function retryPendingNotifications(
  deps: DeliveryDeps,
  batchSize = 20,
): Promise<Array<{ id: string; result: DeliveryResult }>> {
  const due = await deps.store.claimDue(batchSize);
  const results: Array<{ id: string; result: DeliveryResult }> = [];
  for (const notification of due) {
    results.push({ id: notification.id, result: await deliverNotification(deps, notification) });
  }
  return results;
}
