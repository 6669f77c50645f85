import type { CloudEvent } from '@surge/messaging';
import type {
  Contact,
  NewNotification,
  NotificationType,
  NotificationView,
  OutgoingNotification,
} from './notification';

/**
 * What the use cases need from the outside world. data-access and clients implement
 * these; the domain knows no pg, nodemailer or kafkajs.
 */
export interface NotificationStore {
  /** Runs `work` in one transaction: the inbox entry, the projection and the notification commit together. */
  inTransaction<T>(work: (tx: NotificationTx) => Promise<T>): Promise<T>;
  /** Leases up to `limit` PENDING notifications whose lease or backoff has run out. */
  claimDue(limit: number): Promise<OutgoingNotification[]>;
  markSent(id: string): Promise<void>;
  /** Records a failed attempt: due again after `retryInMs`, or FAILED for good when null. */
  markFailed(id: string, error: string, retryInMs: number | null): Promise<void>;
  /** SENT notifications of one user, newest first, strictly after `after` in that order. */
  listSent(userId: string, limit: number, after?: { sentAt: Date; id: string }): Promise<NotificationView[]>;
}

/** Writes inside `inTransaction`. */
export interface NotificationTx {
  /**
   * Claims the event in the inbox and, when it is new, serialises this transaction with
   * every other one about the same user until commit, so an event parked for a user and
   * that user's registration cannot miss each other. False when this event was already
   * applied (redelivery): nothing is written and no lock is taken.
   */
  claimEventForUser(eventId: string, userId: string): Promise<boolean>;
  /** Parks an event whose user is not known yet, until its `user.registered` arrives. */
  defer(event: CloudEvent<NotificationType>): Promise<void>;
  /** Removes and returns the events parked for this user, oldest first. */
  takeDeferred(userId: string): Promise<Array<CloudEvent<NotificationType>>>;
  /** Upserts the projection; an older `version` never overwrites a newer one. */
  saveContact(contact: Contact, version: number): Promise<void>;
  findContact(userId: string): Promise<Contact | undefined>;
  /** Inserts it PENDING and leased to this process; undefined when the same fact was notified already. */
  insertPending(notification: NewNotification): Promise<OutgoingNotification | undefined>;
}

export interface OutgoingEmail {
  /** Becomes the Message-ID: a resend after a crash carries the same one. */
  notificationId: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message. */
  send(email: OutgoingEmail): Promise<void>;
}

export type NotificationOutcome = 'sent' | 'send_failed' | 'gave_up' | 'duplicate' | 'deferred';

export interface NotificationMetrics {
  count(type: NotificationType, outcome: NotificationOutcome): void;
}
