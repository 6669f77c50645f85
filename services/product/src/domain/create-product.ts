import { randomUUID } from 'node:crypto';
import { ConflictError } from '@surge/errors';
import type { CatalogCache, ProductStore } from './ports';
import type { NewProduct, Product } from './product';

export type CreateProductInput = Omit<NewProduct, 'id'>;

/**
 * Adds a product (admin). The row and its `product.updated` event commit together; a
 * taken sku is 409 DUPLICATE_SKU. After the commit the product is written to the cache
 * and the catalog generation bumped, so list pages and category counts include it.
 */
export async function createProduct(
  deps: { products: ProductStore; cache: CatalogCache },
  input: CreateProductInput,
): Promise<Product> {
  const created = await deps.products.create({ id: randomUUID(), ...input });
  if (created === 'DUPLICATE_SKU') throw duplicateSku();
  await afterCatalogWrite(deps.cache, created);
  return created;
}

export function duplicateSku(): ConflictError {
  return new ConflictError('DUPLICATE_SKU', 'A product with this sku already exists');
}

/**
 * Cache upkeep after a committed catalog write: the new version goes into the product
 * cache (a versioned write, so a slower reader's older copy cannot overwrite it), and the
 * generation bump retires every list page and category count. If Redis is down both are
 * skipped; the TTLs bound how long a stale copy can live.
 */
export async function afterCatalogWrite(cache: CatalogCache, product: Product): Promise<void> {
  await Promise.all([cache.putProducts([product]), cache.bumpGeneration()]);
}
