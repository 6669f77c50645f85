import {
  call,
  checkoutBody,
  placeOrder,
  startOrderHarness,
  type OrderHarness,
} from './support/order-service';

let h: OrderHarness;
beforeAll(async () => {
  h = await startOrderHarness();
});
afterAll(() => h.stop());

const storedToken = async (orderId: string) =>
  (
    await h.query<{ payment_token: string | null }>('SELECT payment_token FROM orders WHERE id = $1', [
      orderId,
    ])
  )[0]?.payment_token;

describe('POST /api/orders answers as the contract says', () => {
  it('201 PAID: stock committed and exactly one capture', async () => {
    const product = h.product.addProduct(1999, 5);
    const { token, userId } = h.token();
    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 2 }]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userId,
      status: 'PAID',
      totalCents: 3998,
      currency: 'USD',
      items: [{ productId: product.id, quantity: 2, priceCents: 1999 }],
    });
    expect(res.body).not.toHaveProperty('paymentToken');
    expect(product).toMatchObject({ stock: 3, reserved: 0, sold: 2 });
    expect(h.payment.payments.get(res.body.id)).toMatchObject({ status: 'CAPTURED', amountCents: 3998 });
    const events = await h.query<{ event_type: string }>(
      'SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY seq',
      [res.body.id],
    );
    expect(events.map((event) => event.event_type)).toEqual(['order.created', 'order.paid']);
    // Settled: nothing charges it again, so the card token is not kept.
    expect(await storedToken(res.body.id)).toBeNull();
  });

  it('402 PAYMENT_DECLINED with orderId: the order exists as CANCELLED, stock returned, nothing captured', async () => {
    const product = h.product.addProduct(500, 3);
    const { token } = h.token();
    const res = await placeOrder(
      h,
      token,
      checkoutBody([{ productId: product.id, quantity: 1 }], 'tok_decline'),
    );
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PAYMENT_DECLINED', orderId: expect.any(String) });
    const order = await call(h, 'GET', `/api/orders/${res.body.orderId}`, { token });
    expect(order.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'PAYMENT_DECLINED' });
    expect(product).toMatchObject({ stock: 3, reserved: 0, sold: 0 });
    expect(h.payment.payments.get(res.body.orderId!)?.status).toBe('DECLINED');
    expect(await storedToken(res.body.orderId!)).toBeNull();
  });

  it('409 INSUFFICIENT_STOCK: nothing reserved, nothing charged, no order', async () => {
    const product = h.product.addProduct(500, 1);
    const { token } = h.token();
    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 2 }]));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', productIds: [product.id] });
    expect(product).toMatchObject({ stock: 1, reserved: 0 });
    expect((await call<{ items: unknown[] }>(h, 'GET', '/api/orders', { token })).body.items).toEqual([]);
  });

  it('404 for a product that does not exist, with nothing reserved', async () => {
    const { token } = h.token();
    const res = await placeOrder(
      h,
      token,
      checkoutBody([{ productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }]),
    );
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('400 with the order cancelled when the payment service rejects the token', async () => {
    const product = h.product.addProduct(500, 2);
    const { token } = h.token();
    const res = await placeOrder(
      h,
      token,
      checkoutBody([{ productId: product.id, quantity: 1 }], 'tok_unknown'),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', orderId: expect.any(String) });
    expect(product).toMatchObject({ stock: 2, reserved: 0 });
  });

  describe('bad input is a 400 problem and changes nothing', () => {
    const product = () => h.product.addProduct(100, 10);
    it.each([
      ['no Idempotency-Key', undefined, () => checkoutBody([{ productId: product().id, quantity: 1 }])],
      ['a short Idempotency-Key', 'short', () => checkoutBody([{ productId: product().id, quantity: 1 }])],
      [
        'a quantity of 0',
        'key-quantity-zero',
        () => checkoutBody([{ productId: product().id, quantity: 0 }]),
      ],
      [
        'a quantity over 100',
        'key-quantity-big',
        () => checkoutBody([{ productId: product().id, quantity: 101 }]),
      ],
      [
        'a product twice',
        'key-duplicate-lines',
        () => {
          const id = product().id;
          return checkoutBody([
            { productId: id, quantity: 1 },
            { productId: id, quantity: 2 },
          ]);
        },
      ],
      [
        'a missing address',
        'key-no-address',
        () => ({ items: [{ productId: product().id, quantity: 1 }], payment: { token: 'tok_visa' } }),
      ],
      [
        'a malformed token',
        'key-bad-token',
        () => checkoutBody([{ productId: product().id, quantity: 1 }], '<script>'),
      ],
      [
        'a right-to-left override in the address name',
        'key-bidi-name',
        () => ({
          ...checkoutBody([{ productId: product().id, quantity: 1 }]),
          shippingAddress: {
            name: 'Ada \u202Egnp.exe',
            line1: 'B',
            city: 'C',
            postalCode: 'D',
            country: 'US',
          },
        }),
      ],
      [
        'a zero-width space in the address line',
        'key-zero-width',
        () => ({
          ...checkoutBody([{ productId: product().id, quantity: 1 }]),
          shippingAddress: {
            name: 'Ada',
            line1: 'Main\u200BStreet 1',
            city: 'C',
            postalCode: 'D',
            country: 'US',
          },
        }),
      ],
      [
        'a __proto__ key in the address',
        'key-proto-address',
        () =>
          JSON.parse(
            `{"items":[{"productId":"${product().id}","quantity":1}],"payment":{"token":"tok_visa"},"shippingAddress":{"name":"A","line1":"B","city":"C","postalCode":"D","country":"US","__proto__":{"admin":true}}}`,
          ) as unknown,
      ],
      [
        'a product id that is not a uuid',
        'key-bad-id',
        () => checkoutBody([{ productId: "1' OR '1'='1", quantity: 1 }]),
      ],
    ])('%s', async (_label, key, body) => {
      const { token } = h.token();
      const res = await call(h, 'POST', '/api/orders', {
        token,
        body: body(),
        headers: key ? { 'idempotency-key': key } : {},
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  it('409 CONFLICT for a checkout of an empty cart: the request is well formed, the cart has nothing', async () => {
    // schemathesis sent the schema-valid body without `items` and got a 400: the request
    // was fine, the cart's state made it impossible (RFC 9110 §15.5.10).
    const { token } = h.token();
    const res = await placeOrder(h, token, checkoutBody(undefined));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT' });
    expect(JSON.stringify(res.body)).toContain('cart is empty');
  });

  it('401 without a token', async () => {
    const res = await call(h, 'POST', '/api/orders', {
      body: checkoutBody(undefined),
      headers: { 'idempotency-key': 'some-key-123' },
    });
    expect(res.status).toBe(401);
  });
});
