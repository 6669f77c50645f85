-- Up Migration
-- One row per idempotency key, enforced by the primary key: two concurrent requests
-- with the same key cannot both capture (the second insert skips on conflict and
-- reads the first's row).
CREATE TABLE charges (
  idempotency_key text PRIMARY KEY,
  id              uuid NOT NULL UNIQUE,
  amount_cents    bigint NOT NULL CHECK (amount_cents >= 0),
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Simulator test tokens only; a real processor would keep a card fingerprint.
  token           text NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('captured', 'declined')),
  refund_id       uuid UNIQUE,
  refunded_at     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- Only captured money can be returned, and a refund has both its id and its time.
  CHECK (refunded_at IS NULL OR outcome = 'captured'),
  CHECK ((refund_id IS NULL) = (refunded_at IS NULL))
);

-- Down Migration
DROP TABLE charges;
