import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@surge/messaging';
import { composeEmail, recipientOf } from './compose-email';
import { deliverNotification, type DeliveryDeps, type DeliveryResult } from './deliver-notification';
import { isNotified, type Contact, type NotificationType, type OutgoingNotification } from './notification';
import type { NotificationTx } from './ports';

export type EventResult =
  | { outcome: 'ignored' | 'duplicate' | 'deferred' }
  | { outcome: 'recorded'; deliveries: Array<{ id: string; result: DeliveryResult }> };

type Recorded =
  { outcome: 'duplicate' | 'deferred' } | { outcome: 'recorded'; pending: OutgoingNotification[] };

/**
 * One event in, at most one email out. In one transaction: the inbox entry, the user
 * projection (for `user.registered`) and the notification row, PENDING. A redelivered
 * event finds its inbox entry and does nothing. Only after the commit is the email sent
 * (see deliver-notification.ts for why that order).
 *
 * Topics are not ordered against each other, so an order or payment event can come
 * before its user's `user.registered`. It is then parked (deferred_events) in the same
 * transaction as its inbox entry, and the registration's transaction turns every event
 * parked for that user into its notification. See entry-points/kafka/event-consumer.ts
 * for why parking rather than retrying in place.
 */
export async function notifyForEvent(deps: DeliveryDeps, event: CloudEvent): Promise<EventResult> {
  if (!isNotified(event)) return { outcome: 'ignored' };
  const recorded = await deps.store.inTransaction((tx) => record(tx, event));
  if (recorded.outcome !== 'recorded') {
    deps.metrics.count(event.type, recorded.outcome);
    return { outcome: recorded.outcome };
  }
  const deliveries: Array<{ id: string; result: DeliveryResult }> = [];
  for (const notification of recorded.pending) {
    deliveries.push({ id: notification.id, result: await deliverNotification(deps, notification) });
  }
  return { outcome: 'recorded', deliveries };
}

async function record(tx: NotificationTx, event: CloudEvent<NotificationType>): Promise<Recorded> {
  const userId = recipientOf(event);
  if (!(await tx.claimEventForUser(event.id, userId))) return { outcome: 'duplicate' };
  if (event.type === 'user.registered') {
    const { email, name, version } = (event as CloudEvent<'user.registered'>).data;
    const contact = { userId, email, name };
    await tx.saveContact(contact, version);
    const waiting = await tx.takeDeferred(userId);
    const pending: OutgoingNotification[] = [];
    for (const each of [event, ...waiting]) {
      const inserted = await insertFor(tx, each, contact);
      if (inserted) pending.push(inserted);
    }
    return { outcome: 'recorded', pending };
  }
  const contact = await tx.findContact(userId);
  if (!contact) {
    await tx.defer(event);
    return { outcome: 'deferred' };
  }
  const inserted = await insertFor(tx, event, contact);
  return inserted ? { outcome: 'recorded', pending: [inserted] } : { outcome: 'duplicate' };
}

/** The notification for `event`; undefined when the same fact was notified before (dedupe key). */
function insertFor(
  tx: NotificationTx,
  event: CloudEvent<NotificationType>,
  contact: Contact,
): Promise<OutgoingNotification | undefined> {
  const email = composeEmail(event, contact);
  return tx.insertPending({
    id: randomUUID(),
    userId: contact.userId,
    type: event.type,
    recipient: contact.email,
    subject: email.subject,
    body: email.body,
    eventId: event.id,
    dedupeKey: `${event.type}:${email.aggregateId}:${event.data.version}`,
  });
}
