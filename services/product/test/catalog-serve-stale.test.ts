import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createScratchDatabase, testInfra, type ScratchDatabase } from '@surge/testing';
import {
  call,
  createProduct,
  metricValue,
  startTestProductService,
  type ProductBody,
  type TestProductService,
} from './support';

// A database of this file's own, so it can be made unreachable without touching the
// other files' services: new sessions refused, open ones terminated.
let database: ScratchDatabase;
let service: TestProductService;
beforeAll(async () => {
  database = await createScratchDatabase('surge_product_stale');
  service = await startTestProductService({
    DATABASE_URL: database.url,
    PRODUCT_CACHE_TTL_SECONDS: '1',
    LIST_CACHE_TTL_SECONDS: '1',
    OUTBOX_RELAY: 'false',
  });
});
afterAll(async () => {
  await service.stop();
  await setDatabaseReachable(true);
  await database.drop();
});

async function setDatabaseReachable(reachable: boolean): Promise<void> {
  const name = new URL(database.url).pathname.slice(1);
  const admin = new Client({ connectionString: testInfra().adminUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${reachable ? 'true' : 'false'}`);
    if (!reachable) {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
    }
  } finally {
    await admin.end();
  }
}

const expireFreshCopies = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe('catalog reads while the product database is down', () => {
  let product: ProductBody;
  beforeAll(async () => {
    product = await createProduct(service, { category: `stale-${randomUUID().slice(0, 8)}` });
    // Reads fill the fresh copies and the stale ones.
    expect((await call(service.url, 'GET', `/api/products/${product.id}`)).status).toBe(200);
    expect((await call(service.url, 'GET', `/api/products?category=${product.category}`)).status).toBe(200);
    expect((await call(service.url, 'GET', '/api/categories')).status).toBe(200);
    await setDatabaseReachable(false);
    await expireFreshCopies();
  });
  afterAll(() => setDatabaseReachable(true));

  it('a product read before answers 200 from its stale copy, marked stale, and is counted', async () => {
    const before = await metricValue(service, 'cache_stale_served_total', { cache: 'product' });

    const res = await call<ProductBody>(service.url, 'GET', `/api/products/${product.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(product);
    expect(res.headers.get('x-cache')).toBe('stale');
    expect(res.headers.get('warning')).toBe('110 - "Response is Stale"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await metricValue(service, 'cache_stale_served_total', { cache: 'product' })).toBe(before + 1);
  });

  it('a list page and the categories read before answer from their stale copies', async () => {
    const page = await call<{ items: ProductBody[] }>(
      service.url,
      'GET',
      `/api/products?category=${product.category}`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('x-cache')).toBe('stale');
    expect(page.body.items).toEqual([product]);

    const categories = await call<Array<{ name: string; count: number }>>(
      service.url,
      'GET',
      '/api/categories',
    );
    expect(categories.status).toBe(200);
    expect(categories.headers.get('x-cache')).toBe('stale');
    expect(categories.body).toContainEqual({ name: product.category, count: 1 });
  });

  it('a product never read has no stale copy: 503 with a problem, not a 500', async () => {
    const res = await call<{ code: string }>(service.url, 'GET', `/api/products/${randomUUID()}`);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('once the database is back, reads are fresh again', async () => {
    await setDatabaseReachable(true);
    const deadline = Date.now() + 10_000;
    let res = await call<ProductBody>(service.url, 'GET', `/api/products/${product.id}`);
    while (res.headers.get('x-cache') === 'stale' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res = await call<ProductBody>(service.url, 'GET', `/api/products/${product.id}`);
    }
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });
});
