import { NotFoundError } from '@surge/errors';
import type { CatalogDeps, CatalogRead } from './ports';
import type { Product } from './product';
import { readThrough } from './read-through';

/**
 * One product, read through the cache (one database load per cold id, however many ask);
 * from its stale copy while the database is unreachable (`stale: true`).
 */
export async function getProduct(deps: CatalogDeps, id: string): Promise<CatalogRead<Product>> {
  const read = await readThrough(deps, {
    cache: 'product',
    key: id,
    get: () => deps.cache.getProduct(id),
    load: () => deps.products.findById(id),
    put: (loaded) => deps.cache.putProducts([loaded]),
    stale: async () => (await deps.cache.getStaleProducts([id])).get(id),
  });
  if (!read.value) throw new NotFoundError('Product');
  return { value: read.value, stale: read.stale };
}
