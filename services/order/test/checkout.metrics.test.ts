import { eventually } from '@surge/testing';
import { randomUUID } from 'node:crypto';
import {
  call,
  checkoutBody,
  placeOrder,
  startOrderHarness,
  type OrderHarness,
} from './support/order-service';
import { scrapeMetrics, type Scrape } from './support/scrape-metrics';

let h: OrderHarness;
beforeAll(async () => {
  h = await startOrderHarness();
});
afterEach(() => {
  h.payment.mode = 'normal';
});
afterAll(() => h.stop());

const CHECKOUT = { method: 'POST', route: '/api/orders/' };
const delta = (before: Scrape, after: Scrape, name: string, labels?: Record<string, string>) =>
  after.value(name, labels) - before.value(name, labels);

describe('GET /metrics after checkouts', () => {
  it('a paid checkout moves the request, saga, upstream and histogram series', async () => {
    const product = h.product.addProduct(1250, 5);
    const { token } = h.token();
    const before = await scrapeMetrics(h.adminUrl);

    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));

    expect(res.status).toBe(201);
    const after = await scrapeMetrics(h.adminUrl);
    expect(delta(before, after, 'http_requests_total', { ...CHECKOUT, status: '201' })).toBe(1);
    expect(delta(before, after, 'http_request_duration_seconds_count', { ...CHECKOUT, status: '201' })).toBe(
      1,
    );
    expect(
      delta(before, after, 'http_request_duration_seconds_bucket', {
        ...CHECKOUT,
        status: '201',
        le: '+Inf',
      }),
    ).toBe(1);
    expect(delta(before, after, 'checkout_outcomes_total', { outcome: 'paid' })).toBe(1);
    // Reserve and commit at the product service, one charge at the payment service.
    expect(delta(before, after, 'upstream_requests_total', { upstream: 'product', outcome: 'success' })).toBe(
      2,
    );
    expect(delta(before, after, 'upstream_requests_total', { upstream: 'payment', outcome: 'success' })).toBe(
      1,
    );
    expect(after.value('circuit_breaker_state', { upstream: 'payment' })).toBe(0);
    expect(after.value('pg_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(after.value('pg_pool_max_connections')).toBe(20);
    expect(after.has('pg_pool_waiting_requests')).toBe(true);
    expect(after.value('outbox_pending_events')).toBeGreaterThanOrEqual(0);
    expect(after.value('outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('a declined checkout and a replay of it count as declined, then replayed', async () => {
    const product = h.product.addProduct(300, 5);
    const { token } = h.token();
    const key = randomUUID();
    const body = checkoutBody([{ productId: product.id, quantity: 1 }], 'tok_decline');
    const before = await scrapeMetrics(h.adminUrl);

    expect((await placeOrder(h, token, body, key)).status).toBe(402);
    expect((await placeOrder(h, token, body, key)).status).toBe(402);

    const after = await scrapeMetrics(h.adminUrl);
    expect(delta(before, after, 'checkout_outcomes_total', { outcome: 'declined' })).toBe(1);
    expect(delta(before, after, 'checkout_outcomes_total', { outcome: 'replayed' })).toBe(1);
    expect(delta(before, after, 'http_requests_total', { ...CHECKOUT, status: '402' })).toBe(2);
  });

  it('a payment service that is down counts pending, failed attempts and retries, then the worker charges', async () => {
    const product = h.product.addProduct(800, 5);
    const { token } = h.token();
    const before = await scrapeMetrics(h.adminUrl);
    h.payment.mode = 'down';

    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));

    expect(res.status).toBe(202);
    const during = await scrapeMetrics(h.adminUrl);
    expect(delta(before, during, 'checkout_outcomes_total', { outcome: 'pending' })).toBe(1);
    expect(
      delta(before, during, 'upstream_requests_total', { upstream: 'payment', outcome: 'server_error' }),
    ).toBeGreaterThanOrEqual(1);
    expect(delta(before, during, 'upstream_retries_total', { upstream: 'payment' })).toBeGreaterThanOrEqual(
      1,
    );

    h.payment.mode = 'normal';
    await eventually(async () => {
      const order = await call<{ status: string }>(h, 'GET', `/api/orders/${res.body.id}`, { token });
      return order.body.status === 'PAID';
    });
    // The worker counts its action once the whole step is done (the charge, then the
    // commit at product), which is after the order reads PAID: wait for the count too.
    await eventually(async () => {
      const after = await scrapeMetrics(h.adminUrl);
      return delta(before, after, 'order_recovery_actions_total', { action: 'charged' }) >= 1;
    });
  });
});
