-- Up Migration
-- Order and payment events that arrived before their user's `user.registered` (topics
-- are not ordered against each other). Parked in the transaction that claims them in the
-- inbox; that user's registration turns them into notifications and deletes them.
CREATE TABLE deferred_events (
  event_id     text PRIMARY KEY,
  user_id      uuid NOT NULL,
  event        jsonb NOT NULL,
  deferred_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deferred_events_user ON deferred_events (user_id);

-- Down Migration
DROP TABLE deferred_events;
