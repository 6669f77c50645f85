import { createPool, type Pool } from '@surge/postgres';
import { seedCatalog } from '../src/data-access/catalog-seeder';
import { generateProduct } from '../src/domain/catalog-generator';
import { call, queryDb, startTestProductService, type ProductBody, type TestProductService } from './support';

let service: TestProductService;
let pool: Pool;
beforeAll(async () => {
  // SEED_CATALOG=true: the service seeds at start, as the development stack runs it.
  service = await startTestProductService({ SEED_CATALOG: 'true' });
  pool = createPool({ connectionString: service.config.DATABASE_URL, applicationName: 'product-seed-test' });
});
afterAll(async () => {
  await pool.end();
  await service.stop();
});

describe('the development catalog', () => {
  it('is seeded at start: at least 1,000 products in at least 10 categories', async () => {
    const [stats] = await queryDb<{ products: number; categories: number }>(
      service,
      `SELECT count(*)::int AS products, count(DISTINCT category)::int AS categories
         FROM products WHERE sku LIKE 'SEED-%'`,
    );
    expect(stats!.products).toBeGreaterThanOrEqual(1_000);
    expect(stats!.categories).toBeGreaterThanOrEqual(10);
  });

  it('is deterministic: a seeded product is exactly what the generator makes', async () => {
    const expected = generateProduct(42);
    const res = await call<ProductBody>(service.url, 'GET', `/api/products/${expected.id}`);
    expect(res.body).toMatchObject({
      sku: expected.sku,
      name: expected.name,
      description: expected.description,
      category: expected.category,
      priceCents: expected.priceCents,
    });
  });

  it('is idempotent: seeding again inserts nothing', async () => {
    expect(await seedCatalog(pool)).toBe(0);
    expect(await seedCatalog(pool, { size: 1_000 })).toBe(0);
  });

  it('leaves a seeded product an admin gave another sku alone when it seeds again', async () => {
    const seeded = generateProduct(7);
    const renamed = `RENAMED-${seeded.id.slice(0, 8)}`;
    await queryDb(service, 'UPDATE products SET sku = $1 WHERE id = $2', [renamed, seeded.id]);
    expect(await seedCatalog(pool)).toBe(0);
    expect(await queryDb(service, 'SELECT sku FROM products WHERE id = $1', [seeded.id])).toEqual([
      { sku: renamed },
    ]);
  });

  it('starts every product with its stock as initial stock', async () => {
    const rows = await queryDb(
      service,
      `SELECT count(*)::int AS off FROM products
        WHERE sku LIKE 'SEED-%' AND stock + reserved + sold <> initial_stock + adjustments`,
    );
    expect(rows).toEqual([{ off: 0 }]);
  });
});
