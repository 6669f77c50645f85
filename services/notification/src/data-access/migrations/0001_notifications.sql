-- Up Migration
-- What this service knows of each user, projected from `user.registered`: order and
-- payment events carry only the user id. `version` keeps an older event from
-- overwriting a newer one.
CREATE TABLE contacts (
  user_id     uuid PRIMARY KEY,
  email       text NOT NULL,
  name        text NOT NULL,
  version     integer NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per email, written PENDING in the transaction that claims the event in the
-- inbox, sent after the commit, then marked SENT (see domain/deliver-notification.ts).
CREATE TABLE notifications (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL,
  type         text NOT NULL,
  channel      text NOT NULL DEFAULT 'email' CHECK (channel = 'email'),
  recipient    text NOT NULL,
  subject      text NOT NULL,
  body         text NOT NULL,
  -- Redelivery of the same event, and the same fact under a new event id, both stop here.
  event_id     text NOT NULL UNIQUE,
  dedupe_key   text NOT NULL UNIQUE,
  status       text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  -- No sender takes a PENDING row before this: the lease of the process sending it, or
  -- the backoff after a failed attempt.
  due_at       timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- When the SMTP server accepted it; milliseconds only, so keyset cursors round-trip
  -- exactly through JavaScript dates.
  sent_at      timestamptz,
  CHECK ((status = 'SENT') = (sent_at IS NOT NULL)),
  CHECK (status <> 'PENDING' OR due_at IS NOT NULL)
);
-- GET /api/notifications: one user's sent mail, newest first, keyset pagination.
CREATE INDEX notifications_user_sent ON notifications (user_id, sent_at DESC, id DESC) WHERE status = 'SENT';
-- The retry job: PENDING rows whose lease or backoff ran out.
CREATE INDEX notifications_due ON notifications (due_at) WHERE status = 'PENDING';

-- Down Migration
DROP TABLE notifications;
DROP TABLE contacts;
