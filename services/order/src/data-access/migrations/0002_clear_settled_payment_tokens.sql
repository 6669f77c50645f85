-- Up Migration
-- The payment token is needed only while the order may still be charged (PENDING,
-- PAYMENT_PENDING: the recovery worker retries the same charge with it). Once the order
-- is PAID or CANCELLED nothing charges it again (refunds and cancellations go by order
-- id), so the token is cleared: a database dump or a read replica then holds no usable
-- card tokens of settled orders.
ALTER TABLE orders ALTER COLUMN payment_token DROP NOT NULL;
UPDATE orders SET payment_token = NULL WHERE status IN ('PAID', 'CANCELLED') AND payment_token IS NOT NULL;
-- No CHECK constraint enforces it: during a rolling deploy, instances of the previous
-- version still settle orders without clearing the token, and a constraint would make
-- their transitions fail (orders stuck PENDING with a captured payment). The rule lives
-- in the transition (order-repository.ts) and its test; once no older instance runs, a
-- later migration may add the constraint.
