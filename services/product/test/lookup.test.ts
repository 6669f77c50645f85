import { randomUUID } from 'node:crypto';
import { call, createProduct, startTestProductService, type TestProductService } from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

type Lookup = { items: Array<Record<string, unknown>> };

describe('POST /internal/products/lookup', () => {
  it('answers prices and stock for known ids in one call, leaving unknown ids out', async () => {
    const [a, b] = await Promise.all([
      createProduct(service, { priceCents: 150, stock: 4 }),
      createProduct(service, { priceCents: 275, stock: 0, currency: 'EUR' }),
    ]);
    const res = await call<Lookup>(service.url, 'POST', '/internal/products/lookup', {
      token: service.orderToken,
      body: { ids: [b.id, randomUUID(), a.id, a.id] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { id: b.id, sku: b.sku, name: b.name, priceCents: 275, currency: 'EUR', stock: 0 },
        { id: a.id, sku: a.sku, name: a.name, priceCents: 150, currency: 'USD', stock: 4 },
      ],
    });
  });

  it('reflects reservations and price changes at once', async () => {
    const product = await createProduct(service, { priceCents: 100, stock: 10 });
    await call(service.url, 'POST', '/internal/products/lookup', {
      token: service.orderToken,
      body: { ids: [product.id] },
    });
    await call(service.url, 'POST', '/internal/reservations', {
      token: service.orderToken,
      body: { orderId: randomUUID(), items: [{ productId: product.id, quantity: 3 }] },
    });
    await call(service.url, 'PATCH', `/api/products/${product.id}`, {
      token: service.adminToken,
      body: { priceCents: 90 },
    });
    const res = await call<Lookup>(service.url, 'POST', '/internal/products/lookup', {
      token: service.orderToken,
      body: { ids: [product.id] },
    });
    expect(res.body.items[0]).toMatchObject({ priceCents: 90, stock: 7 });
  });

  it.each([
    ['no ids', { ids: [] }],
    ['more than 100 ids', { ids: Array.from({ length: 101 }, () => randomUUID()) }],
    ['a malformed id', { ids: ['not-a-uuid'] }],
    ['ids that are not a list', { ids: 'x' }],
  ])('answers %s with 400', async (_label, body) => {
    const res = await call(service.url, 'POST', '/internal/products/lookup', {
      token: service.orderToken,
      body,
    });
    expect(res.status).toBe(400);
  });
});
