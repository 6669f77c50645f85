SELECT gen_random_uuid() AS u1, gen_random_uuid() AS u2 \gset
BEGIN;
INSERT INTO reservations (order_id, status) VALUES (':u1', 'RESERVED') ON CONFLICT (order_id) DO NOTHING;
SELECT id, stock, price_cents, currency FROM products WHERE id = ANY('{0fb45b93-2956-4236-ae46-b59f89dc47f5}'::uuid[]) ORDER BY id FOR UPDATE;
UPDATE products p SET stock = p.stock - line.quantity, reserved = p.reserved + line.quantity, version = p.version + 1, updated_at = now() FROM unnest('{0fb45b93-2956-4236-ae46-b59f89dc47f5}'::uuid[], '{1}'::integer[]) AS line(product_id, quantity) WHERE p.id = line.product_id AND p.stock >= line.quantity RETURNING p.id, p.sku, p.name, p.description, p.category, p.price_cents, p.currency, p.stock, p.version, p.updated_at;
INSERT INTO reservation_lines (order_id, line_no, product_id, quantity, price_cents, currency) SELECT ':u1', line.no, line.product_id, line.quantity, line.price_cents, line.currency FROM unnest('{0fb45b93-2956-4236-ae46-b59f89dc47f5}'::uuid[], '{1}'::integer[], '{1500}'::integer[], '{USD}'::text[]) WITH ORDINALITY AS line(product_id, quantity, price_cents, currency, no);
INSERT INTO outbox (id, topic, message_key, event_type, source, subject, data, headers, created_at) VALUES (':u2', 'products', '0fb45b93-2956-4236-ae46-b59f89dc47f5', 'product.updated', '/surge/product', '0fb45b93-2956-4236-ae46-b59f89dc47f5', '{"sku": "CHAOS-7fd56579-2", "name": "Chaos item 2", "stock": 99999, "version": 2, "currency": "USD", "productId": "0fb45b93-2956-4236-ae46-b59f89dc47f5", "priceCents": 1500}', '{"traceparent": "00-f39ab37757c38d83810f8c4a1fbba792-09edd8005dab196a-01"}', '2026-11-22 05:44:14.801+00');
COMMIT;
UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY('{:u2}'::uuid[]);
BEGIN;
SELECT p.id FROM products p JOIN reservation_lines l ON l.product_id = p.id WHERE l.order_id = ':u1' ORDER BY p.id FOR UPDATE OF p;
UPDATE products p SET reserved = p.reserved - l.quantity, sold = p.sold + l.quantity FROM reservation_lines l WHERE l.order_id = ':u1' AND p.id = l.product_id RETURNING p.id, p.sku, p.name, p.description, p.category, p.price_cents, p.currency, p.stock, p.version, p.updated_at;
COMMIT;
SELECT id, seq, topic, message_key, event_type, source, subject, data, headers, created_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT '200';
SELECT 1;
SELECT id, seq, topic, message_key, event_type, source, subject, data, headers, created_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT '200';
