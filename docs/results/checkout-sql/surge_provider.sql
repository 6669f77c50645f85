SELECT gen_random_uuid() AS u1, gen_random_uuid() AS u2 \gset
INSERT INTO charges (idempotency_key, id, amount_cents, currency, token, outcome, created_at) VALUES (':u1', ':u2', '1750', 'USD', 'tok_visa', 'captured', '2026-12-08 01:31:04.314+00') ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key, id, amount_cents, currency, token, outcome, refund_id, refunded_at, created_at;
