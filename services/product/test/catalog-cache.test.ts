import { randomUUID } from 'node:crypto';
import { createLogger } from '@surge/logger';
import { createRedis, type Redis } from '@surge/redis';
import { uniqueSuffix } from '@surge/testing';
import { createCatalogCache } from '../src/data-access/catalog-cache';
import { productKey } from '../src/domain/cache-keys';
import type { Product } from '../src/domain/product';
import {
  call,
  createProduct,
  metricValue,
  startTestProductService,
  type ProductBody,
  type TestProductService,
} from './support';

let service: TestProductService;
let redis: Redis;
beforeAll(async () => {
  service = await startTestProductService();
  redis = createRedis({ url: service.config.REDIS_URL, keyPrefix: service.config.REDIS_KEY_PREFIX });
  await redis.ping();
});
afterAll(async () => {
  await redis.quit();
  await service.stop();
});

type Page = { items: ProductBody[]; nextCursor: string | null };
const loads = (cache: string) => metricValue(service, 'cache_loads_total', { cache });
const lookups = (cache: string, result: string) =>
  metricValue(service, 'cache_requests_total', { cache, result });

describe('read-through product cache', () => {
  it('loads a cold product once from the database, then answers from Redis', async () => {
    const product = await createProduct(service);
    await redis.del(productKey(product.id));
    const [loadsBefore, hitsBefore] = [await loads('product'), await lookups('product', 'hit')];
    expect((await call(service.url, 'GET', `/api/products/${product.id}`)).body).toEqual(product);
    expect((await call(service.url, 'GET', `/api/products/${product.id}`)).body).toEqual(product);
    expect(await loads('product')).toBe(loadsBefore + 1);
    expect(await lookups('product', 'hit')).toBe(hitsBefore + 1);
    expect(JSON.parse((await redis.get(productKey(product.id)))!)).toMatchObject({
      id: product.id,
      version: 1,
    });
  });

  it('when 25 readers ask for a cold product at once, the database is asked once', async () => {
    const product = await createProduct(service);
    await redis.del(productKey(product.id));
    const before = await loads('product');
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => call(service.url, 'GET', `/api/products/${product.id}`)),
    );
    expect(answers.every((res) => res.status === 200)).toBe(true);
    expect(await loads('product')).toBe(before + 1);
  });

  it('when 25 readers ask for the same cold list page at once, the database is asked once', async () => {
    const category = `flight-${uniqueSuffix()}`;
    await createProduct(service, { category });
    const before = await loads('list');
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => call<Page>(service.url, 'GET', `/api/products?category=${category}`)),
    );
    expect(answers.every((res) => res.body.items.length === 1)).toBe(true);
    expect(await loads('list')).toBe(before + 1);
  });

  it('serves the new version right after a PATCH', async () => {
    const product = await createProduct(service);
    await call(service.url, 'GET', `/api/products/${product.id}`);
    await call(service.url, 'PATCH', `/api/products/${product.id}`, {
      token: service.adminToken,
      body: { priceCents: 777, name: 'Cheaper now' },
    });
    const read = await call<ProductBody>(service.url, 'GET', `/api/products/${product.id}`);
    expect(read.body).toMatchObject({ priceCents: 777, name: 'Cheaper now' });
  });
});

describe('cached list pages', () => {
  it('are retired by every catalog write: a rename, and a new product', async () => {
    const category = `lists-${uniqueSuffix()}`;
    const first = await createProduct(service, { category, name: 'Alpha' });
    const path = `/api/products?category=${category}`;
    await call(service.url, 'GET', path);
    const hitsBefore = await lookups('list', 'hit');
    expect((await call<Page>(service.url, 'GET', path)).body.items).toHaveLength(1);
    expect(await lookups('list', 'hit')).toBe(hitsBefore + 1);

    await call(service.url, 'PATCH', `/api/products/${first.id}`, {
      token: service.adminToken,
      body: { name: 'Beta' },
    });
    expect((await call<Page>(service.url, 'GET', path)).body.items.map((item) => item.name)).toEqual([
      'Beta',
    ]);
    await createProduct(service, { category, name: 'Gamma' });
    expect((await call<Page>(service.url, 'GET', path)).body.items.map((item) => item.name)).toEqual([
      'Beta',
      'Gamma',
    ]);
  });

  it('show the current stock after a reservation, without retiring the page', async () => {
    const category = `stock-${uniqueSuffix()}`;
    const product = await createProduct(service, { category, stock: 9 });
    const path = `/api/products?category=${category}`;
    await call(service.url, 'GET', path);
    await call(service.url, 'POST', '/internal/reservations', {
      token: service.orderToken,
      body: { orderId: randomUUID(), items: [{ productId: product.id, quantity: 4 }] },
    });
    const hitsBefore = await lookups('list', 'hit');
    expect((await call<Page>(service.url, 'GET', path)).body.items[0]?.stock).toBe(5);
    expect(await lookups('list', 'hit')).toBe(hitsBefore + 1);
    expect((await call<ProductBody>(service.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(5);
  });

  it('answer a warm page exactly as the cold one, and reload a product that left the cache', async () => {
    const category = `warm-${uniqueSuffix()}`;
    const first = await createProduct(service, { category, name: 'Alpha' });
    await createProduct(service, { category, name: 'Beta' });
    const path = `/api/products?category=${category}&limit=1`;
    const cold = await call<Page>(service.url, 'GET', path);
    const warm = await call<Page>(service.url, 'GET', path);
    expect(warm.body).toEqual(cold.body);
    expect(warm.body.nextCursor).not.toBeNull();

    // Byte for byte, headers included: the warm page is written from the cached texts.
    const [coldRaw, warmRaw] = [await fetch(`${service.url}${path}`), await fetch(`${service.url}${path}`)];
    expect(warmRaw.headers.get('content-type')).toBe(coldRaw.headers.get('content-type'));
    expect(await warmRaw.text()).toBe(JSON.stringify(cold.body));
    await coldRaw.text();

    await redis.del(productKey(first.id));
    const productLoads = await loads('product');
    const hitsBefore = await lookups('list', 'hit');
    const reloaded = await call<Page>(service.url, 'GET', path);
    expect(reloaded.body).toEqual(cold.body);
    expect(await loads('product')).toBe(productLoads + 1);
    expect(await lookups('list', 'hit')).toBe(hitsBefore + 1);
  });

  it('answer a warm page from products an older release cached in its own member order', async () => {
    // During a rolling update the cache holds texts with `version` before `updatedAt`.
    const category = `layout-${uniqueSuffix()}`;
    const product = await createProduct(service, { category, name: 'Old layout, "quoted"' });
    const path = `/api/products?category=${category}`;
    const cold = await call<Page>(service.url, 'GET', path);
    const cached = JSON.parse((await redis.get(productKey(product.id)))!) as Product;
    const { updatedAt, ...rest } = cached;
    await redis.set(productKey(product.id), JSON.stringify({ ...rest, version: cached.version, updatedAt }));
    const hitsBefore = await lookups('list', 'hit');
    const res = await fetch(`${service.url}${path}`);
    expect(await res.text()).toBe(JSON.stringify(cold.body));
    expect(cold.body.items).toEqual([product]);
    expect(await lookups('list', 'hit')).toBe(hitsBefore + 1);
  });
});

describe('versioned cache writes', () => {
  it('never replace a cached product with an older version', async () => {
    const cache = createCatalogCache(redis, {
      productTtlSeconds: 60,
      listTtlSeconds: 60,
      staleTtlSeconds: 60,
      timeoutMs: 1_000,
      logger: createLogger({ service: 'product-test', level: 'silent' }),
    });
    const product: Product = {
      id: randomUUID(),
      sku: 'X',
      name: 'new',
      description: '',
      category: 'c',
      priceCents: 1,
      currency: 'USD',
      stock: 1,
      version: 5,
      updatedAt: new Date().toISOString(),
    };
    await cache.putProducts([product]);
    await cache.putProducts([{ ...product, version: 4, name: 'stale' }]);
    expect(await cache.getProduct(product.id)).toEqual({ status: 'hit', value: product });
    await cache.putProducts([{ ...product, version: 6, name: 'newer' }]);
    expect(await cache.getProduct(product.id)).toMatchObject({ value: { version: 6, name: 'newer' } });
  });
});

describe('when Redis is down', () => {
  let cacheless: TestProductService;
  beforeAll(async () => {
    // A port nothing listens on: every cache call fails.
    cacheless = await startTestProductService({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => cacheless.stop());

  it('reads, lists and writes still work, and the service stays ready', async () => {
    const product = await createProduct(cacheless);
    expect((await call(cacheless.url, 'GET', `/api/products/${product.id}`)).body).toEqual(product);
    const list = await call<Page>(cacheless.url, 'GET', `/api/products?category=${product.category}`);
    expect(list.body.items.map((item) => item.id)).toEqual([product.id]);
    expect((await call(cacheless.url, 'GET', '/api/categories')).status).toBe(200);
    const ready = await call(cacheless.adminUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'up', checks: { postgres: 'up' } });
    expect(
      await metricValue(cacheless, 'cache_requests_total', { cache: 'product', result: 'unavailable' }),
    ).toBeGreaterThan(0);
  });
});
