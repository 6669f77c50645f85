import { NotFoundError } from '@surge/errors';
import { afterCatalogWrite, duplicateSku } from './create-product';
import type { CatalogCache, ProductStore } from './ports';
import type { Product, ProductChanges } from './product';

/**
 * PATCH /api/products/:id (admin). A `stock` value is the new available stock; the
 * repository records the difference in `adjustments`, so the inventory equation still
 * holds. Version, event and cache as for a new product.
 */
export async function updateProduct(
  deps: { products: ProductStore; cache: CatalogCache },
  id: string,
  changes: ProductChanges,
): Promise<Product> {
  const updated = await deps.products.update(id, changes);
  if (updated === 'NOT_FOUND') throw new NotFoundError('Product');
  if (updated === 'DUPLICATE_SKU') throw duplicateSku();
  await afterCatalogWrite(deps.cache, updated);
  return updated;
}
