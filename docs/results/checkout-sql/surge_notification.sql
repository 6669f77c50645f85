SELECT gen_random_uuid() AS u1, gen_random_uuid() AS u2, gen_random_uuid() AS u3, gen_random_uuid() AS u4 \gset
BEGIN;
INSERT INTO inbox (consumer, event_id) VALUES ('notification', ':u1') ON CONFLICT DO NOTHING;
SELECT pg_advisory_xact_lock(hashtextextended('notification-user:' || '717d11d2-1d9c-488e-a613-4dd18c614056', 0));
SELECT user_id, email, name FROM contacts WHERE user_id = '717d11d2-1d9c-488e-a613-4dd18c614056';
INSERT INTO notifications (id, user_id, type, recipient, subject, body, event_id, dedupe_key, status, due_at) VALUES (':u2', '717d11d2-1d9c-488e-a613-4dd18c614056', 'order.paid', 'chaos-936ef9ad-0@example.test', 'Your Surge receipt for order 75a7c872', 'Hi Chaos 0, thank you for your order. We received your payment. Order: :u3 Payment: :u4 Total: 12.50 USD Surge', ':u1', 'order.paid::u3:2', 'PENDING', now() + '60000'::bigint * interval '1 millisecond') ON CONFLICT DO NOTHING RETURNING id, type, recipient, subject, body, attempts;
COMMIT;
UPDATE notifications SET status = 'SENT', sent_at = date_trunc('milliseconds', clock_timestamp()), attempts = attempts + 1, due_at = NULL, last_error = NULL WHERE id = ':u2' AND status = 'PENDING';
SELECT 1;
