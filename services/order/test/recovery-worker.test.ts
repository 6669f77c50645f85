import { eventually } from '@surge/testing';
import { randomUUID } from 'node:crypto';
import { call, startOrderHarness, type OrderHarness } from './support/order-service';

let h: OrderHarness;
beforeAll(async () => {
  // The checkout lease at its default: the rows below are written with leases already
  // expired, and a 1 s lease let the worker abandon the retried checkout on a loaded machine.
  h = await startOrderHarness();
});
afterAll(() => h.stop());

describe('the recovery worker finishes what a crashed request left', () => {
  it('releases the stock of a checkout that died after reserving, and frees its key', async () => {
    const product = h.product.addProduct(500, 5);
    const { token, userId } = h.token();
    const orderId = randomUUID();
    const key = `crashed-${randomUUID()}`;
    // The state a process leaves when it dies right after step 2 (reserve).
    await fetch(`${h.product.url}/internal/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId, items: [{ productId: product.id, quantity: 2 }] }),
    });
    await h.query(
      `INSERT INTO checkout_requests (user_id, idempotency_key, request_hash, order_id, state, request, lease_until)
       VALUES ($1, $2, 'h', $3, 'IN_PROGRESS', '{}', now() - interval '1 second')`,
      [userId, key, orderId],
    );
    expect(product.reserved).toBe(2);

    await eventually(async () => product.reserved === 0 && product.stock === 5);
    await eventually(
      async () =>
        (await h.query('SELECT 1 FROM checkout_requests WHERE order_id = $1', [orderId])).length === 0,
    );
    // The key is free again: a retry is a fresh checkout.
    const retry = await call(h, 'POST', '/api/orders', {
      token,
      headers: { 'idempotency-key': key },
      body: {
        items: [{ productId: product.id, quantity: 1 }],
        shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'US' },
        payment: { token: 'tok_visa' },
      },
    });
    expect(retry.status).toBe(201);
  });

  it('charges an order that died after it was created, exactly once', async () => {
    const product = h.product.addProduct(500, 5);
    const { token, userId } = h.token();
    const orderId = randomUUID();
    await fetch(`${h.product.url}/internal/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId, items: [{ productId: product.id, quantity: 1 }] }),
    });
    // Right after step 3: checkout claimed, order PENDING, no charge yet, lease expired.
    await h.query(
      `INSERT INTO checkout_requests (user_id, idempotency_key, request_hash, order_id, state, request, lease_until, order_created)
       VALUES ($1, $2, 'h', $3, 'IN_PROGRESS', '{}', now() - interval '1 second', true)`,
      [userId, `crashed-${randomUUID()}`, orderId],
    );
    await h.query(
      `INSERT INTO orders (id, user_id, status, items, total_cents, currency, shipping_address, payment_token, stock_state, next_attempt_at, payment_deadline)
       VALUES ($1, $2, 'PENDING', $3, 500, 'USD', '{}', 'tok_visa', 'RESERVED', now(), now() + interval '1 minute')`,
      [orderId, userId, JSON.stringify([{ productId: product.id, quantity: 1, priceCents: 500 }])],
    );

    await eventually(
      async () =>
        (await call<{ status: string }>(h, 'GET', `/api/orders/${orderId}`, { token })).body.status ===
        'PAID',
    );
    await eventually(async () => product.sold === 1);
    expect(h.payment.chargeCalls.filter((id) => id === orderId)).toHaveLength(1);
    // The checkout now has an answer a replay would return.
    const [record] = await h.query<{ state: string }>(
      'SELECT state FROM checkout_requests WHERE order_id = $1',
      [orderId],
    );
    expect(record?.state).toBe('COMPLETED');
  });
});
