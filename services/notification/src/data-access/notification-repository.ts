import { CLAIM_INBOX_ENTRY_SQL, type CloudEvent } from '@surge/messaging';
import { withTransaction, type Pool, type Queryable } from '@surge/postgres';
import type {
  Contact,
  NewNotification,
  NotificationType,
  NotificationView,
  OutgoingNotification,
} from '../domain/notification';
import type { NotificationStore, NotificationTx } from '../domain/ports';

/** The inbox consumer name: event ids are unique across topics, so one name covers all three. */
export const INBOX_CONSUMER = 'notification';

/**
 * How long a sender owns a PENDING row. Longer than the slowest send nodemailer allows
 * with our timeouts (connect + greeting + a few commands), so a live sender never loses
 * its row to the retry job; short enough that a crashed sender's mail goes out soon.
 */
export const SEND_LEASE_MS = 60_000;

const OUTGOING = 'id, type, recipient, subject, body, attempts';

interface OutgoingRow {
  id: string;
  type: NotificationType;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

interface ViewRow {
  id: string;
  type: NotificationType;
  subject: string;
  event_id: string;
  sent_at: Date;
}

export function createNotificationRepository(pool: Pool): NotificationStore {
  return {
    inTransaction: (work) => withTransaction(pool, (client) => work(transactional(client))),

    async claimDue(limit) {
      const { rows } = await pool.query<OutgoingRow>(
        `UPDATE notifications SET due_at = now() + $2::bigint * interval '1 millisecond'
          WHERE id IN (SELECT id FROM notifications
                        WHERE status = 'PENDING' AND due_at <= now()
                        ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING ${OUTGOING}`,
        [limit, SEND_LEASE_MS],
      );
      return rows.map(toOutgoing);
    },

    async markSent(id) {
      await pool.query(
        `UPDATE notifications
            SET status = 'SENT', sent_at = date_trunc('milliseconds', clock_timestamp()),
                attempts = attempts + 1, due_at = NULL, last_error = NULL
          WHERE id = $1 AND status = 'PENDING'`,
        [id],
      );
    },

    async markFailed(id, error, retryInMs) {
      await pool.query(
        `UPDATE notifications
            SET attempts = attempts + 1, last_error = $2,
                status = CASE WHEN $3::bigint IS NULL THEN 'FAILED' ELSE 'PENDING' END,
                due_at = CASE WHEN $3::bigint IS NULL THEN NULL
                              ELSE now() + $3::bigint * interval '1 millisecond' END
          WHERE id = $1 AND status = 'PENDING'`,
        [id, error, retryInMs],
      );
    },

    async listSent(userId, limit, after) {
      const { rows } = await pool.query<ViewRow>(
        `SELECT id, type, subject, event_id, sent_at FROM notifications
          WHERE user_id = $1 AND status = 'SENT'
            AND ($2::timestamptz IS NULL OR (sent_at, id) < ($2::timestamptz, $3::uuid))
          ORDER BY sent_at DESC, id DESC
          LIMIT $4`,
        [userId, after?.sentAt ?? null, after?.id ?? null, limit],
      );
      return rows.map(toView);
    },
  };
}

function transactional(tx: Queryable): NotificationTx {
  return {
    async claimEventForUser(eventId, userId) {
      // One statement where two ran (the inbox claim, then the user's lock): the lock is
      // taken only for a claimed event, after its inbox row, as before. Transaction-scoped:
      // released at commit or rollback, never leaked by a crash. What the lock guards (the
      // user's contact and parked events) is read by the next statement, whose snapshot
      // starts after the lock is held: reading it here would use a snapshot from before.
      const { rowCount } = await tx.query(
        `WITH claimed AS (
           ${CLAIM_INBOX_ENTRY_SQL} RETURNING event_id
         )
         SELECT pg_advisory_xact_lock(hashtextextended('notification-user:' || $3, 0)) FROM claimed`,
        [INBOX_CONSUMER, eventId, userId],
      );
      return rowCount === 1;
    },

    async defer(event) {
      await tx.query(
        `INSERT INTO deferred_events (event_id, user_id, event) VALUES ($1, $2, $3)
         ON CONFLICT (event_id) DO NOTHING`,
        [event.id, event.data.userId, JSON.stringify(event)],
      );
    },

    async takeDeferred(userId) {
      const { rows } = await tx.query<{ event: CloudEvent<NotificationType>; deferred_at: Date }>(
        'DELETE FROM deferred_events WHERE user_id = $1 RETURNING event, deferred_at',
        [userId],
      );
      // Validated when it was decoded from Kafka, before it was parked.
      return rows.sort((a, b) => a.deferred_at.getTime() - b.deferred_at.getTime()).map((row) => row.event);
    },

    async saveContact(contact, version) {
      await tx.query(
        `INSERT INTO contacts (user_id, email, name, version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE
           SET email = EXCLUDED.email, name = EXCLUDED.name, version = EXCLUDED.version, updated_at = now()
           WHERE contacts.version < EXCLUDED.version`,
        [contact.userId, contact.email, contact.name, version],
      );
    },

    async findContact(userId) {
      const { rows } = await tx.query<{ user_id: string; email: string; name: string }>(
        'SELECT user_id, email, name FROM contacts WHERE user_id = $1',
        [userId],
      );
      const row = rows[0];
      return row ? ({ userId: row.user_id, email: row.email, name: row.name } satisfies Contact) : undefined;
    },

    async insertPending(n: NewNotification) {
      // Any unique conflict (event id or dedupe key) means this fact was notified already.
      const { rows } = await tx.query<OutgoingRow>(
        `INSERT INTO notifications
           (id, user_id, type, recipient, subject, body, event_id, dedupe_key, status, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PENDING', now() + $9::bigint * interval '1 millisecond')
         ON CONFLICT DO NOTHING
         RETURNING ${OUTGOING}`,
        [n.id, n.userId, n.type, n.recipient, n.subject, n.body, n.eventId, n.dedupeKey, SEND_LEASE_MS],
      );
      return rows[0] ? toOutgoing(rows[0]) : undefined;
    },
  };
}

function toOutgoing(row: OutgoingRow): OutgoingNotification {
  return {
    id: row.id,
    type: row.type,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    attempts: row.attempts,
  };
}

function toView(row: ViewRow): NotificationView {
  return {
    id: row.id,
    type: row.type,
    channel: 'email',
    subject: row.subject,
    eventId: row.event_id,
    sentAt: row.sent_at,
  };
}
