SELECT gen_random_uuid() AS u1, gen_random_uuid() AS u2 \gset
BEGIN;
INSERT INTO reservations (order_id, status) VALUES (':u1', 'RESERVED') ON CONFLICT (order_id) DO NOTHING;
SELECT id, stock, price_cents, currency FROM products WHERE id = ANY('{25a8e4f4-b237-4230-93f8-07d8fe18bcd0}'::uuid[]) ORDER BY id FOR UPDATE;
UPDATE products p SET stock = p.stock - line.quantity, reserved = p.reserved + line.quantity, version = p.version + 1, updated_at = now() FROM unnest('{25a8e4f4-b237-4230-93f8-07d8fe18bcd0}'::uuid[], '{1}'::integer[]) AS line(product_id, quantity) WHERE p.id = line.product_id AND p.stock >= line.quantity RETURNING p.id, p.sku, p.name, p.description, p.category, p.price_cents, p.currency, p.stock, p.version, p.updated_at;
INSERT INTO reservation_lines (order_id, line_no, product_id, quantity, price_cents, currency) SELECT ':u1', line.no, line.product_id, line.quantity, line.price_cents, line.currency FROM unnest('{25a8e4f4-b237-4230-93f8-07d8fe18bcd0}'::uuid[], '{1}'::integer[], '{1500}'::integer[], '{USD}'::text[]) WITH ORDINALITY AS line(product_id, quantity, price_cents, currency, no);
INSERT INTO outbox (id, topic, message_key, event_type, source, subject, data, headers, created_at) VALUES (':u2', 'products', '25a8e4f4-b237-4230-93f8-07d8fe18bcd0', 'product.updated', '/surge/product', '25a8e4f4-b237-4230-93f8-07d8fe18bcd0', '{"sku": "CHAOS-de2fdbd5-2", "name": "Chaos item 2", "stock": 99999, "version": 2, "currency": "USD", "productId": "25a8e4f4-b237-4230-93f8-07d8fe18bcd0", "priceCents": 1500}', '{"traceparent": "00-365bbb5b7e423b29a09b87d14bf6bb2a-744bcf9f3dcd698c-01"}', '2026-12-07 17:08:12.535+00');
COMMIT;
UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY('{:u2}'::uuid[]);
BEGIN;
UPDATE reservations SET status = 'COMMITTED', updated_at = now() WHERE order_id = ':u1' AND status = 'RESERVED';
SELECT p.id FROM products p JOIN reservation_lines l ON l.product_id = p.id WHERE l.order_id = ':u1' ORDER BY p.id FOR UPDATE OF p;
UPDATE products p SET reserved = p.reserved - l.quantity, sold = p.sold + l.quantity FROM reservation_lines l WHERE l.order_id = ':u1' AND p.id = l.product_id RETURNING p.id, p.sku, p.name, p.description, p.category, p.price_cents, p.currency, p.stock, p.version, p.updated_at;
COMMIT;
SELECT id, seq, topic, message_key, event_type, source, subject, data, headers, created_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT '200';
SELECT 1;
SELECT id, seq, topic, message_key, event_type, source, subject, data, headers, created_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT '200';
