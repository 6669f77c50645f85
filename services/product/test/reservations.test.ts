import { randomUUID } from 'node:crypto';
import { call, createProduct, queryDb, startTestProductService, type TestProductService } from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

const reserve = (orderId: string, items: Array<{ productId: string; quantity: number }>) =>
  call(service.url, 'POST', '/internal/reservations', {
    token: service.orderToken,
    body: { orderId, items },
  });
const commit = (orderId: string) =>
  call(service.url, 'POST', `/internal/reservations/${orderId}/commit`, { token: service.orderToken });
const release = (orderId: string) =>
  call(service.url, 'POST', `/internal/reservations/${orderId}/release`, { token: service.orderToken });
const inventory = async (productId: string) =>
  (
    await queryDb(service, 'SELECT stock, reserved, sold, version FROM products WHERE id = $1', [productId])
  )[0];

describe('POST /internal/reservations', () => {
  it('reserves the items at today’s prices and answers 201', async () => {
    const [a, b] = await Promise.all([
      createProduct(service, { stock: 10, priceCents: 500 }),
      createProduct(service, { stock: 3, priceCents: 1_250 }),
    ]);
    const orderId = randomUUID();
    const res = await reserve(orderId, [
      { productId: b.id, quantity: 3 },
      { productId: a.id, quantity: 2 },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      orderId,
      status: 'RESERVED',
      items: [
        { productId: b.id, quantity: 3, priceCents: 1_250, currency: 'USD' },
        { productId: a.id, quantity: 2, priceCents: 500, currency: 'USD' },
      ],
    });
    expect(await inventory(a.id)).toEqual({ stock: 8, reserved: 2, sold: 0, version: 2 });
    expect(await inventory(b.id)).toEqual({ stock: 0, reserved: 3, sold: 0, version: 2 });
  });

  it('answers 409 CURRENCY_MISMATCH for lines in two currencies and reserves nothing', async () => {
    const [usd, jpy] = await Promise.all([
      createProduct(service, { stock: 10, priceCents: 500 }),
      createProduct(service, { stock: 10, priceCents: 1_500, currency: 'JPY' }),
    ]);
    const orderId = randomUUID();
    const res = await reserve(orderId, [
      { productId: usd.id, quantity: 1 },
      { productId: jpy.id, quantity: 1 },
    ]);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'CURRENCY_MISMATCH',
      currencies: { [usd.id]: 'USD', [jpy.id]: 'JPY' },
    });
    expect(await inventory(usd.id)).toMatchObject({ stock: 10, reserved: 0, version: 1 });
    expect(await inventory(jpy.id)).toMatchObject({ stock: 10, reserved: 0, version: 1 });
    // Nothing was recorded for the order: the same id can still reserve one currency.
    expect((await reserve(orderId, [{ productId: jpy.id, quantity: 1 }])).status).toBe(201);
  });

  it('is idempotent by order id: a repeat answers the stored reservation and reserves nothing more', async () => {
    const product = await createProduct(service, { stock: 10, priceCents: 900 });
    const orderId = randomUUID();
    const first = await reserve(orderId, [{ productId: product.id, quantity: 4 }]);
    await call(service.url, 'PATCH', `/api/products/${product.id}`, {
      token: service.adminToken,
      body: { priceCents: 1 },
    });
    const again = await reserve(orderId, [{ productId: product.id, quantity: 4 }]);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await inventory(product.id)).toMatchObject({ stock: 6, reserved: 4 });
  });

  it('adds up repeated lines of one product', async () => {
    const product = await createProduct(service, { stock: 10 });
    const res = await reserve(randomUUID(), [
      { productId: product.id, quantity: 2 },
      { productId: product.id, quantity: 3 },
    ]);
    expect(res.body.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 5 })]);
    expect(await inventory(product.id)).toMatchObject({ stock: 5, reserved: 5 });
  });

  it('answers 404 with the unknown product ids and reserves nothing', async () => {
    const product = await createProduct(service, { stock: 10 });
    const unknown = randomUUID();
    const orderId = randomUUID();
    const res = await reserve(orderId, [
      { productId: product.id, quantity: 1 },
      { productId: unknown, quantity: 1 },
    ]);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', productIds: [unknown] });
    expect(await inventory(product.id)).toMatchObject({ stock: 10, reserved: 0 });
    // Nothing was recorded for the order either: it can still reserve.
    expect((await reserve(orderId, [{ productId: product.id, quantity: 1 }])).status).toBe(201);
  });

  it.each([
    ['a non-UUID order id', { orderId: 'order-1', items: [{ productId: randomUUID(), quantity: 1 }] }],
    ['no items', { orderId: randomUUID(), items: [] }],
    ['a zero quantity', { orderId: randomUUID(), items: [{ productId: randomUUID(), quantity: 0 }] }],
    ['a fractional quantity', { orderId: randomUUID(), items: [{ productId: randomUUID(), quantity: 1.5 }] }],
    [
      'more than 100 items',
      {
        orderId: randomUUID(),
        items: Array.from({ length: 101 }, () => ({ productId: randomUUID(), quantity: 1 })),
      },
    ],
  ])('answers %s with 400', async (_label, body) => {
    const res = await call(service.url, 'POST', '/internal/reservations', {
      token: service.orderToken,
      body,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('commit and release', () => {
  it('commit moves reserved units to sold, is idempotent, and a repeat reserve answers 200 COMMITTED', async () => {
    const product = await createProduct(service, { stock: 10 });
    const orderId = randomUUID();
    await reserve(orderId, [{ productId: product.id, quantity: 3 }]);
    const first = await commit(orderId);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ orderId, status: 'COMMITTED' });
    expect((await commit(orderId)).body).toEqual({ orderId, status: 'COMMITTED' });
    expect(await inventory(product.id)).toEqual({ stock: 7, reserved: 0, sold: 3, version: 2 });
    const repeat = await reserve(orderId, [{ productId: product.id, quantity: 3 }]);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ orderId, status: 'COMMITTED' });
  });

  it('release returns reserved units to stock, is idempotent, and blocks a later commit with 409', async () => {
    const product = await createProduct(service, { stock: 10 });
    const orderId = randomUUID();
    await reserve(orderId, [{ productId: product.id, quantity: 4 }]);
    expect((await release(orderId)).body).toEqual({ orderId, status: 'RELEASED' });
    expect((await release(orderId)).body).toEqual({ orderId, status: 'RELEASED' });
    expect(await inventory(product.id)).toEqual({ stock: 10, reserved: 0, sold: 0, version: 3 });
    const late = await commit(orderId);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CONFLICT');
  });

  it('release of a committed reservation returns the sold units (RETURNED), once', async () => {
    const product = await createProduct(service, { stock: 10 });
    const orderId = randomUUID();
    await reserve(orderId, [{ productId: product.id, quantity: 2 }]);
    await commit(orderId);
    expect((await release(orderId)).body).toEqual({ orderId, status: 'RETURNED' });
    expect((await release(orderId)).body).toEqual({ orderId, status: 'RETURNED' });
    expect(await inventory(product.id)).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    expect((await commit(orderId)).status).toBe(409);
  });

  it('release of an unknown order answers 200 NONE, and a reserve arriving after it holds nothing', async () => {
    const product = await createProduct(service, { stock: 5 });
    const orderId = randomUUID();
    expect((await release(orderId)).body).toEqual({ orderId, status: 'NONE' });
    expect((await release(orderId)).body).toEqual({ orderId, status: 'NONE' });
    const late = await reserve(orderId, [{ productId: product.id, quantity: 1 }]);
    expect(late.status).toBe(200);
    expect(late.body).toEqual({ orderId, status: 'RELEASED', items: [] });
    expect(await inventory(product.id)).toMatchObject({ stock: 5, reserved: 0 });
  });

  it('commit of an unknown order answers 404; a malformed order id 400', async () => {
    expect((await commit(randomUUID())).status).toBe(404);
    expect((await commit('nope')).status).toBe(400);
    expect((await release('nope')).status).toBe(400);
  });
});
