import type { CloudEvent } from '@surge/messaging';

/** Event types that send an email; the notification's `type` is the event's. */
export const NOTIFIED_TYPES = [
  'user.registered',
  'order.paid',
  'order.cancelled',
  'payment.refunded',
] as const;
export type NotificationType = (typeof NOTIFIED_TYPES)[number];

export function isNotified(event: CloudEvent): event is CloudEvent<NotificationType> {
  return (NOTIFIED_TYPES as readonly string[]).includes(event.type);
}

/** What this service knows of a user, from `user.registered` (order and payment events carry only the id). */
export interface Contact {
  userId: string;
  email: string;
  name: string;
}

export interface NewNotification {
  id: string;
  userId: string;
  type: NotificationType;
  recipient: string;
  subject: string;
  body: string;
  eventId: string;
  /** One notification per fact: `<type>:<aggregate id>:<version>`, even if it is re-emitted under a new event id. */
  dedupeKey: string;
}

/** A PENDING notification this process holds the lease on: it may send it now. */
export interface OutgoingNotification {
  id: string;
  type: NotificationType;
  recipient: string;
  subject: string;
  body: string;
  /** Send attempts before this one. */
  attempts: number;
}

/** The contract's view (docs/api-contract.md, "Payments and notifications"). */
export interface NotificationView {
  id: string;
  type: NotificationType;
  channel: 'email';
  subject: string;
  eventId: string;
  sentAt: Date;
}
