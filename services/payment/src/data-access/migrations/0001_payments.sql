-- Up Migration
-- One payment per order (order_id UNIQUE): the schema's half of "at most one capture
-- per order"; the provider's idempotency key (the order id) is the other half.
CREATE TABLE payments (
  id                   uuid PRIMARY KEY,
  order_id             uuid NOT NULL UNIQUE,
  -- What the order asked to be charged. Unknown only for an order cancelled before
  -- any charge (a tombstone that refuses a late charge).
  user_id              uuid,
  amount_cents         bigint CHECK (amount_cents >= 0),
  currency             text CHECK (currency ~ '^[A-Z]{3}$'),
  status               text NOT NULL
                       CHECK (status IN ('PENDING', 'CAPTURED', 'DECLINED', 'CANCELLED', 'REFUNDED')),
  provider_charge_id   text UNIQUE,
  -- Counts this payment's events; each event carries the value after it.
  version              integer NOT NULL DEFAULT 0,
  -- The charge lease: one provider call at a time per order. A committed row update,
  -- not a lock, so nothing is held open across the provider call; it runs out by itself.
  attempt_id           uuid,
  attempt_lease_until  timestamptz,
  -- Non-null once the provider may have heard of the order.
  attempted_at         timestamptz,
  -- When the reconciler last found nothing at the provider.
  checked_at           timestamptz,
  captured_at          timestamptz,
  declined_at          timestamptz,
  refunded_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_terms_known
    CHECK (status = 'CANCELLED' OR (user_id IS NOT NULL AND amount_cents IS NOT NULL AND currency IS NOT NULL)),
  CONSTRAINT payments_capture_recorded
    CHECK (status NOT IN ('CAPTURED', 'REFUNDED') OR (captured_at IS NOT NULL AND provider_charge_id IS NOT NULL)),
  CONSTRAINT payments_decline_recorded CHECK (status <> 'DECLINED' OR declined_at IS NOT NULL),
  CONSTRAINT payments_refund_recorded CHECK ((status = 'REFUNDED') = (refunded_at IS NOT NULL)),
  CONSTRAINT payments_one_outcome CHECK (captured_at IS NULL OR declined_at IS NULL)
);

CREATE INDEX payments_user_created ON payments (user_id, created_at DESC);
-- The reconciler's work list stays small: settled payments leave this index.
CREATE INDEX payments_unsettled ON payments (attempted_at) WHERE status IN ('PENDING', 'CANCELLED');

-- Down Migration
DROP TABLE payments;
