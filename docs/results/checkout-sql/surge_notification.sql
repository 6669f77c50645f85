SELECT gen_random_uuid() AS u1, gen_random_uuid() AS u2, gen_random_uuid() AS u3, gen_random_uuid() AS u4 \gset
BEGIN;
WITH claimed AS ( INSERT INTO inbox (consumer, event_id) VALUES ('notification', ':u1') ON CONFLICT DO NOTHING RETURNING event_id ) SELECT pg_advisory_xact_lock(hashtextextended('notification-user:' || '1387bc9c-74cd-4c63-936b-8e00795c8cda', 0)) FROM claimed;
SELECT user_id, email, name FROM contacts WHERE user_id = '1387bc9c-74cd-4c63-936b-8e00795c8cda';
INSERT INTO notifications (id, user_id, type, recipient, subject, body, event_id, dedupe_key, status, due_at) VALUES (':u2', '1387bc9c-74cd-4c63-936b-8e00795c8cda', 'order.paid', 'chaos-551b0f79-0@example.test', 'Your Surge receipt for order 03b2b895', 'Hi Chaos 0, thank you for your order. We received your payment. Order: :u3 Payment: :u4 Total: 12.50 USD Surge', ':u1', 'order.paid::u3:2', 'PENDING', now() + '60000'::bigint * interval '1 millisecond') ON CONFLICT DO NOTHING RETURNING id, type, recipient, subject, body, attempts;
COMMIT;
UPDATE notifications SET status = 'SENT', sent_at = date_trunc('milliseconds', clock_timestamp()), attempts = attempts + 1, due_at = NULL, last_error = NULL WHERE id = ':u2' AND status = 'PENDING';
UPDATE notifications SET due_at = now() + '60000'::bigint * interval '1 millisecond' WHERE id IN (SELECT id FROM notifications WHERE status = 'PENDING' AND due_at <= now() ORDER BY due_at LIMIT '20' FOR UPDATE SKIP LOCKED) RETURNING id, type, recipient, subject, body, attempts;
