-- Up Migration
-- When the payment was cancelled (a PENDING or DECLINED payment, or a tombstone before
-- any charge). A replayed charge answers what the first charge call answered, and this
-- tells which that was once the payment has moved on: a capture that landed after the
-- cancellation was refused (409), one before it was a 201 whatever followed (a refund).
ALTER TABLE payments ADD COLUMN cancelled_at timestamptz;
-- Existing cancellations: their order relative to a decline is unknown; a decline
-- normally comes first (the order is cancelled because of it), so now() keeps that.
UPDATE payments SET cancelled_at = now() WHERE status = 'CANCELLED';

-- Down Migration
ALTER TABLE payments DROP COLUMN cancelled_at;
