-- Up Migration
-- Orders and the state the checkout saga needs to finish any order by itself after a
-- crash: the payment token to retry the charge, the stock state to commit or release,
-- and flags for compensations that still have to reach another service.
CREATE TABLE orders (
  id                     uuid PRIMARY KEY,
  user_id                uuid NOT NULL,
  status                 text NOT NULL CHECK (status IN ('PENDING', 'PAYMENT_PENDING', 'PAID', 'CANCELLED')),
  items                  jsonb NOT NULL,
  total_cents            bigint NOT NULL CHECK (total_cents >= 0),
  currency               text NOT NULL,
  shipping_address       jsonb NOT NULL,
  payment_token          text NOT NULL,
  payment_id             uuid,
  cancel_reason          text,
  -- Where this order's reservation at the product service stands.
  stock_state            text NOT NULL CHECK (stock_state IN ('RESERVED', 'COMMITTED', 'RELEASED', 'RETURNED')),
  -- The payment service must still be told that this order is never to be charged.
  payment_cancel_pending boolean NOT NULL DEFAULT false,
  -- A capture exists that must be refunded (a late capture for a cancelled order, or a
  -- cancelled paid order whose refund call failed).
  refund_pending         boolean NOT NULL DEFAULT false,
  payment_attempts       integer NOT NULL DEFAULT 0,
  -- When the recovery worker may next look at this order (also its claim lease).
  next_attempt_at        timestamptz NOT NULL,
  -- After this, a payment still unknown is given up: the order is cancelled, stock returned.
  payment_deadline       timestamptz NOT NULL,
  version                integer NOT NULL DEFAULT 1,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_by_user ON orders (user_id, created_at DESC, id DESC);
-- The worker's queue: only rows with something left to do are indexed.
CREATE INDEX orders_needing_work ON orders (next_attempt_at)
  WHERE status IN ('PENDING', 'PAYMENT_PENDING')
     OR (status = 'PAID' AND stock_state = 'RESERVED')
     OR (status = 'CANCELLED' AND (stock_state IN ('RESERVED', 'COMMITTED') OR payment_cancel_pending OR refund_pending));

-- Idempotency records of POST /api/orders, stored before any side effect. The order id
-- is chosen here, so every later step (reserve, charge) is idempotent by it.
CREATE TABLE checkout_requests (
  user_id          uuid NOT NULL,
  idempotency_key  text NOT NULL,
  request_hash     text NOT NULL,
  order_id         uuid NOT NULL UNIQUE,
  -- ABANDONED: the request died before creating its order; the worker is releasing the
  -- reservation and will delete the row, so the key can be used again.
  state            text NOT NULL CHECK (state IN ('IN_PROGRESS', 'COMPLETED', 'ABANDONED')),
  -- Set in the order's own transaction. The worker abandons only rows where it is false,
  -- and both sides update this one row, so they serialize on its lock: either the order
  -- exists or the checkout is abandoned, never both.
  order_created    boolean NOT NULL DEFAULT false,
  request          jsonb NOT NULL,
  -- The answer, stored with the state change that produced it; a replay returns it.
  outcome          jsonb,
  -- While the lease runs, the request that holds it owns the checkout.
  lease_until      timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX checkout_requests_unfinished ON checkout_requests (lease_until) WHERE state IN ('IN_PROGRESS', 'ABANDONED') AND NOT order_created;

-- Down Migration
DROP TABLE checkout_requests;
DROP TABLE orders;
