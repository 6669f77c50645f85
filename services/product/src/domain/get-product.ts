import { NotFoundError } from '@surge/errors';
import type { CatalogDeps } from './ports';
import type { Product } from './product';
import { readThrough } from './read-through';

/** One product, read through the cache (one database load per cold id, however many ask). */
export async function getProduct(deps: CatalogDeps, id: string): Promise<Product> {
  const product = await readThrough(deps, {
    cache: 'product',
    key: id,
    get: () => deps.cache.getProduct(id),
    load: () => deps.products.findById(id),
    put: (loaded) => deps.cache.putProducts([loaded]),
  });
  if (!product) throw new NotFoundError('Product');
  return product;
}
