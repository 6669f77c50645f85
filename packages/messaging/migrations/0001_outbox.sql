-- Up Migration
-- The transactional outbox: a use case inserts its events here in the same
-- transaction as the change they describe, so an event exists if and only if the
-- change committed. The relay publishes rows in `seq` order and marks them.
CREATE TABLE IF NOT EXISTS outbox (
  id            uuid PRIMARY KEY,
  seq           bigserial NOT NULL UNIQUE,
  topic         text NOT NULL,
  message_key   text NOT NULL,
  event_type    text NOT NULL,
  source        text NOT NULL,
  subject       text,
  data          jsonb NOT NULL,
  headers       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz,
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text
);
CREATE INDEX IF NOT EXISTS outbox_unpublished_seq ON outbox (seq) WHERE published_at IS NULL;

-- Wakes the relay at commit time (NOTIFY is delivered on commit), so an event does
-- not wait for the next poll.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- The inbox: a consumer records each event id it has applied in the same
-- transaction as the effect, so a redelivered event does nothing.
CREATE TABLE IF NOT EXISTS inbox (
  consumer      text NOT NULL,
  event_id      text NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- Down Migration
DROP TABLE IF EXISTS inbox;
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
DROP FUNCTION IF EXISTS outbox_notify();
DROP TABLE IF EXISTS outbox;
