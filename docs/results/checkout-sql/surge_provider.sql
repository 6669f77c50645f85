SELECT gen_random_uuid() AS u1, gen_random_uuid() AS u2, gen_random_uuid() AS u3, gen_random_uuid() AS u4, gen_random_uuid() AS u5 \gset
INSERT INTO charges (idempotency_key, id, amount_cents, currency, token, outcome, created_at) VALUES (':u1', ':u2', '1500', 'USD', 'tok_visa', 'captured', '2026-12-07 17:08:12.568+00') ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key, id, amount_cents, currency, token, outcome, refund_id, refunded_at, created_at;
SELECT idempotency_key, id, amount_cents, currency, token, outcome, refund_id, refunded_at, created_at FROM charges WHERE idempotency_key = ':u3';
SELECT idempotency_key, id, amount_cents, currency, token, outcome, refund_id, refunded_at, created_at FROM charges WHERE idempotency_key = ':u4';
SELECT idempotency_key, id, amount_cents, currency, token, outcome, refund_id, refunded_at, created_at FROM charges WHERE idempotency_key = ':u5';
