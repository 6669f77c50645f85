import { withTransaction, type Pool } from '@surge/postgres';
import { DEFAULT_CATALOG_SEED, generateCatalog } from '../domain/catalog-generator';
import type { NewProduct } from '../domain/product';
import { appendProductUpdated, productColumns, toProduct, type ProductRow } from './product-rows';

export const DEFAULT_CATALOG_SIZE = 1_200;
const BATCH_SIZE = 500;

/**
 * Seeds the deterministic development catalog. Idempotent: a product whose id or sku
 * exists is left alone (`ON CONFLICT DO NOTHING`, whichever unique key it meets), so it
 * runs on every development start, from several instances at once, and again after
 * products were changed or added. An admin may give a seeded product another sku: with
 * the conflict checked on the sku alone, its id then collided and the service could not
 * start again on that database (found by the fuzzer's second run). Only the
 * rows it really inserts get a `product.updated` event, in their batch's transaction.
 * Returns how many products it inserted.
 */
export async function seedCatalog(
  pool: Pool,
  options: { size?: number; seed?: number } = {},
): Promise<number> {
  const catalog = generateCatalog(options.size ?? DEFAULT_CATALOG_SIZE, options.seed ?? DEFAULT_CATALOG_SEED);
  let inserted = 0;
  for (let start = 0; start < catalog.length; start += BATCH_SIZE) {
    inserted += await insertBatch(pool, catalog.slice(start, start + BATCH_SIZE));
  }
  return inserted;
}

async function insertBatch(pool: Pool, batch: NewProduct[]): Promise<number> {
  return withTransaction(pool, async (tx) => {
    const column = <K extends keyof NewProduct>(key: K) => batch.map((product) => product[key]);
    const { rows } = await tx.query<ProductRow>(
      `INSERT INTO products (id, sku, name, description, category, price_cents, currency, stock, initial_stock)
       SELECT id, sku, name, description, category, price_cents, currency, stock, stock
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::integer[])
              AS seed(id, sku, name, description, category, price_cents, currency, stock)
       ON CONFLICT DO NOTHING
       RETURNING ${productColumns()}`,
      [
        column('id'),
        column('sku'),
        column('name'),
        column('description'),
        column('category'),
        column('priceCents'),
        column('currency'),
        column('stock'),
      ],
    );
    for (const row of rows) await appendProductUpdated(tx, toProduct(row));
    return rows.length;
  });
}
