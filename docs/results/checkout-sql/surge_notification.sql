SELECT gen_random_uuid() AS u1, gen_random_uuid() AS u2, gen_random_uuid() AS u3, gen_random_uuid() AS u4 \gset
BEGIN;
WITH claimed AS ( INSERT INTO inbox (consumer, event_id) VALUES ('notification', ':u1') ON CONFLICT DO NOTHING RETURNING event_id ) SELECT pg_advisory_xact_lock(hashtextextended('notification-user:' || 'b571da0d-5a5e-4015-bb66-6c4f5269f6f7', 0)) FROM claimed;
SELECT user_id, email, name FROM contacts WHERE user_id = 'b571da0d-5a5e-4015-bb66-6c4f5269f6f7';
INSERT INTO notifications (id, user_id, type, recipient, subject, body, event_id, dedupe_key, status, due_at) VALUES (':u2', 'b571da0d-5a5e-4015-bb66-6c4f5269f6f7', 'order.paid', 'chaos-055f76ca-0@example.test', 'Your Surge receipt for order 207497eb', 'Hi Chaos 0, thank you for your order. We received your payment. Order: :u3 Payment: :u4 Total: 17.50 USD Surge', ':u1', 'order.paid::u3:2', 'PENDING', now() + '60000'::bigint * interval '1 millisecond') ON CONFLICT DO NOTHING RETURNING id, type, recipient, subject, body, attempts;
COMMIT;
UPDATE notifications SET status = 'SENT', sent_at = date_trunc('milliseconds', clock_timestamp()), attempts = attempts + 1, due_at = NULL, last_error = NULL WHERE id = ':u2' AND status = 'PENDING';
UPDATE notifications SET due_at = now() + '60000'::bigint * interval '1 millisecond' WHERE id IN (SELECT id FROM notifications WHERE status = 'PENDING' AND due_at <= now() ORDER BY due_at LIMIT '20' FOR UPDATE SKIP LOCKED) RETURNING id, type, recipient, subject, body, attempts;
