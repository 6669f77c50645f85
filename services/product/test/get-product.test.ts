import { randomUUID } from 'node:crypto';
import {
  call,
  createProduct,
  startTestProductService,
  type ProductBody,
  type TestProductService,
} from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

describe('GET /api/products/:id', () => {
  it('returns the public product with an ETag', async () => {
    const created = await createProduct(service, { priceCents: 2_500, stock: 7 });
    const res = await call<ProductBody>(service.url, 'GET', `/api/products/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
    expect(res.body).toMatchObject({ priceCents: 2_500, stock: 7, currency: 'USD' });
    expect(res.headers.get('etag')).toMatch(/^"v\d+"$/);
  });

  it('answers 304 without a body when If-None-Match carries the current ETag', async () => {
    const created = await createProduct(service);
    const first = await call(service.url, 'GET', `/api/products/${created.id}`);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${service.url}/api/products/${created.id}`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
  });

  it('answers 200 with a new ETag once the product changed', async () => {
    const created = await createProduct(service);
    const etag = (await call(service.url, 'GET', `/api/products/${created.id}`)).headers.get('etag')!;
    await call(service.url, 'PATCH', `/api/products/${created.id}`, {
      token: service.adminToken,
      body: { priceCents: 1 },
    });
    const res = await call<ProductBody>(service.url, 'GET', `/api/products/${created.id}`, {
      headers: { 'if-none-match': etag },
    });
    expect(res.status).toBe(200);
    expect(res.body.priceCents).toBe(1);
    expect(res.headers.get('etag')).not.toBe(etag);
  });

  it('answers an unknown id with a 404 problem', async () => {
    const res = await call(service.url, 'GET', `/api/products/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it.each(['not-a-uuid', '1', "'; DROP TABLE products;--", '%00', 'ffffffff-ffff-ffff-ffff-fffffffffffff'])(
    'answers the malformed id %s with a 404 problem, never a 500',
    async (id) => {
      const res = await call(service.url, 'GET', `/api/products/${encodeURIComponent(id)}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    },
  );

  it('treats an upper-case id as the same product', async () => {
    const created = await createProduct(service);
    const res = await call<ProductBody>(service.url, 'GET', `/api/products/${created.id.toUpperCase()}`);
    expect(res.body.id).toBe(created.id);
  });
});
