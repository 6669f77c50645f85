import { randomUUID } from 'node:crypto';
import {
  call,
  createProduct,
  newProduct,
  queryDb,
  startTestProductService,
  type ProductBody,
  type TestProductService,
} from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

describe('POST /api/products (admin)', () => {
  it('creates a product and answers 201 with it, a Location and USD by default', async () => {
    const body = newProduct({ priceCents: 4_200, stock: 3 });
    const res = await call<ProductBody>(service.url, 'POST', '/api/products', {
      token: service.adminToken,
      body,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      ...body,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      currency: 'USD',
      updatedAt: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`/api/products/${res.body.id}`);
    expect((await call(service.url, 'GET', `/api/products/${res.body.id}`)).body).toEqual(res.body);
  });

  it('keeps a given currency', async () => {
    const product = await createProduct(service, { currency: 'EUR' });
    expect(product.currency).toBe('EUR');
  });

  it('answers 409 DUPLICATE_SKU for a sku that exists', async () => {
    const first = await createProduct(service);
    const res = await call(service.url, 'POST', '/api/products', {
      token: service.adminToken,
      body: newProduct({ sku: first.sku }),
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'DUPLICATE_SKU', status: 409 });
  });

  it('answers 401 without a token and 403 for a customer', async () => {
    expect((await call(service.url, 'POST', '/api/products', { body: newProduct() })).status).toBe(401);
    const res = await call(service.url, 'POST', '/api/products', {
      token: service.customerToken,
      body: newProduct(),
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });
});

describe('PATCH /api/products/:id (admin)', () => {
  it('changes any field but the id, and the next read sees it', async () => {
    const product = await createProduct(service);
    const changes = {
      sku: `NEW-${product.sku}`,
      name: 'Renamed',
      description: 'New words',
      category: `${product.category}-moved`,
      priceCents: 123,
      currency: 'GBP',
    };
    const res = await call<ProductBody>(service.url, 'PATCH', `/api/products/${product.id}`, {
      token: service.adminToken,
      body: changes,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...changes, id: product.id, stock: product.stock });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(product.updatedAt));
    expect((await call(service.url, 'GET', `/api/products/${product.id}`)).body).toEqual(res.body);
  });

  it('sets the absolute stock and records the difference as an adjustment', async () => {
    const product = await createProduct(service, { stock: 10 });
    const lower = await call<ProductBody>(service.url, 'PATCH', `/api/products/${product.id}`, {
      token: service.adminToken,
      body: { stock: 4 },
    });
    expect(lower.body.stock).toBe(4);
    await call(service.url, 'PATCH', `/api/products/${product.id}`, {
      token: service.adminToken,
      body: { stock: 25 },
    });
    const [row] = await queryDb(
      service,
      'SELECT stock, reserved, sold, initial_stock, adjustments FROM products WHERE id = $1',
      [product.id],
    );
    expect(row).toEqual({ stock: 25, reserved: 0, sold: 0, initial_stock: 10, adjustments: 15 });
  });

  it('rejects the id, unknown fields and an empty body with 400', async () => {
    const product = await createProduct(service);
    for (const body of [{ id: randomUUID() }, { updatedAt: new Date().toISOString() }, {}]) {
      const res = await call(service.url, 'PATCH', `/api/products/${product.id}`, {
        token: service.adminToken,
        body,
      });
      expect(res.status).toBe(400);
    }
  });

  it('answers 409 DUPLICATE_SKU when taking another product’s sku', async () => {
    const [a, b] = await Promise.all([createProduct(service), createProduct(service)]);
    const res = await call(service.url, 'PATCH', `/api/products/${b.id}`, {
      token: service.adminToken,
      body: { sku: a.sku },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DUPLICATE_SKU');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    for (const id of [randomUUID(), 'nope']) {
      const res = await call(service.url, 'PATCH', `/api/products/${id}`, {
        token: service.adminToken,
        body: { name: 'x' },
      });
      expect(res.status).toBe(404);
    }
  });

  it('answers 401 without a token and 403 for a customer', async () => {
    const product = await createProduct(service);
    const path = `/api/products/${product.id}`;
    expect((await call(service.url, 'PATCH', path, { body: { name: 'x' } })).status).toBe(401);
    expect(
      (await call(service.url, 'PATCH', path, { token: service.customerToken, body: { name: 'x' } })).status,
    ).toBe(403);
  });
});
