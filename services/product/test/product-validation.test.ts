import { call, createProduct, newProduct, startTestProductService, type TestProductService } from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

type Problem = { code: string; errors: Array<{ path: string }> };

describe('product bodies are validated at the edge: 400 naming the field, never a 500', () => {
  const { sku: _sku, ...withoutSku } = newProduct();
  it.each([
    ['a missing sku', withoutSku, 'sku'],
    ['a missing name', { ...newProduct(), name: undefined }, 'name'],
    ['a missing price', { ...newProduct(), priceCents: undefined }, 'priceCents'],
    ['a price as a string', newProduct({ priceCents: '19.99' as unknown as number }), 'priceCents'],
    ['a fractional price', newProduct({ priceCents: 19.99 }), 'priceCents'],
    ['a negative price', newProduct({ priceCents: -1 }), 'priceCents'],
    ['an absurd price', newProduct({ priceCents: 1e12 }), 'priceCents'],
    ['a negative stock', newProduct({ stock: -5 }), 'stock'],
    ['a stock as a boolean', newProduct({ stock: true as unknown as number }), 'stock'],
    ['a lower-case currency', newProduct({ currency: 'usd' }), 'currency'],
    ['a four-letter currency', newProduct({ currency: 'USDT' }), 'currency'],
    ['a currency that ISO 4217 does not know', newProduct({ currency: 'XYZ' }), 'currency'],
    ['a precious metal for a currency', newProduct({ currency: 'XAU' }), 'currency'],
    ['an empty name', newProduct({ name: '   ' }), 'name'],
    ['a name over 200 characters', newProduct({ name: 'n'.repeat(201) }), 'name'],
    ['a description over 5,000 characters', newProduct({ description: 'd'.repeat(5_001) }), 'description'],
    ['a category over 100 characters', newProduct({ category: 'c'.repeat(101) }), 'category'],
    ['a sku with spaces', newProduct({ sku: 'has spaces' }), 'sku'],
    ['a sku over 64 characters', newProduct({ sku: 'S'.repeat(65) }), 'sku'],
    ['a NUL in the name', newProduct({ name: 'evil\u0000name' }), 'name'],
    ['a right-to-left override in the name', newProduct({ name: 'abc\u202Etxt.exe' }), 'name'],
    ['a lone surrogate in the description', newProduct({ description: 'broken \ud800 text' }), 'description'],
    ['an unknown field', { ...newProduct(), id: '00000000-0000-4000-8000-000000000000' }, '(root)'],
    ['an array body', [newProduct()], '(root)'],
  ])('%s', async (_label, body, field) => {
    const res = await call<Problem>(service.url, 'POST', '/api/products', {
      token: service.adminToken,
      body,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((error) => error.path)).toContain(field);
  });

  it('lists every problem of a body at once', async () => {
    const res = await call<Problem>(service.url, 'POST', '/api/products', {
      token: service.adminToken,
      body: { sku: '', name: 5, priceCents: -1 },
    });
    expect(res.body.errors.map((error) => error.path)).toEqual(
      expect.arrayContaining(['sku', 'name', 'description', 'category', 'priceCents', 'stock']),
    );
  });

  it('validates PATCH bodies the same way', async () => {
    const product = await createProduct(service);
    for (const body of [
      { priceCents: -1 },
      { stock: 1.5 },
      { name: '' },
      { currency: 'euro' },
      { currency: 'XYZ' },
    ]) {
      const res = await call(service.url, 'PATCH', `/api/products/${product.id}`, {
        token: service.adminToken,
        body,
      });
      expect(res.status).toBe(400);
    }
  });

  it('takes currencies with any minor unit: JPY (none), USD (cents), KWD (fils)', async () => {
    for (const currency of ['JPY', 'USD', 'KWD']) {
      const res = await call<{ currency: string; priceCents: number }>(service.url, 'POST', '/api/products', {
        token: service.adminToken,
        body: newProduct({ currency, priceCents: 1500 }),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ currency, priceCents: 1500 });
    }
  });

  it('stores hostile strings literally', async () => {
    const name = `Robert'); DROP TABLE products;-- <script>alert(1)</script> ${'"'}&amp;`;
    const description = 'Line one\nLine two\twith a tab, ünïcödé and emoji 🛒; ${injection} {{template}}';
    const product = await createProduct(service, { name, description });
    expect(product).toMatchObject({ name, description });
    const read = await call(service.url, 'GET', `/api/products/${product.id}`);
    expect(read.body).toMatchObject({ name, description });
  });

  it('answers malformed JSON with 400, a wrong content type with 415, and an oversize body with 413', async () => {
    const json = { 'content-type': 'application/json' };
    const token = service.adminToken;
    const malformed = await call(service.url, 'POST', '/api/products', {
      token,
      raw: '{"sku":',
      headers: json,
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    expect(JSON.stringify(malformed.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    const form = await call(service.url, 'POST', '/api/products', {
      token,
      raw: 'sku=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const huge = await call(service.url, 'POST', '/api/products', {
      token,
      body: newProduct({ description: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
  });
});
