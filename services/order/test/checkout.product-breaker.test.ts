import { checkoutBody, placeOrder, startOrderHarness, type OrderHarness } from './support/order-service';

/**
 * The product client's circuit breaker at the saga's reserve step: while it is open, a
 * checkout is a 503 the client may retry later (Retry-After), and nothing is charged.
 */
let h: OrderHarness;

beforeAll(async () => {
  h = await startOrderHarness({ UPSTREAM_BREAKER_MIN_CALLS: '4', UPSTREAM_BREAKER_RESET_MS: '60000' });
});
afterAll(() => h.stop());

describe('checkout while the product breaker is open', () => {
  it('answers 503 with Retry-After, reserves and charges nothing', async () => {
    const product = h.product.addProduct(300, 5);
    const { token } = h.token();
    const checkout = () => placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));

    h.product.down = true;
    for (let i = 0; i < 2; i += 1) expect((await checkout()).status).toBe(503);
    h.product.down = false;

    // The product service is back, but the breaker keeps refusing until its reset timeout.
    const res = await checkout();

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(String(res.body.detail)).toContain('circuit open');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(h.product.reservations.size).toBe(0);
    expect(product).toMatchObject({ stock: 5, reserved: 0 });
    expect(h.payment.chargeCalls).toHaveLength(0);
  });
});
