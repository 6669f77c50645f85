import { isConnectionFailure } from '@surge/errors';
import { addEvent } from '@surge/telemetry';
import type { CatalogDeps, CatalogRead } from './ports';
import type { Product } from './product';

/**
 * The products among `ids`, in the order asked, unknown ids left out: one MGET, then one
 * database query for whatever the cache did not have, which then fills the cache. Used
 * to hydrate cached list pages (which hold ids only) and by the internal batch lookup.
 */
export async function findProductsByIds(deps: CatalogDeps, ids: readonly string[]): Promise<Product[]> {
  const unique = [...new Set(ids)];
  const cached = await deps.cache.getProducts(unique);
  const found = cached.status === 'hit' ? cached.value : new Map<string, Product>();
  const missing = unique.filter((id) => !found.has(id));
  const missResult = cached.status === 'unavailable' ? 'unavailable' : 'miss';
  for (const id of unique) deps.metrics.lookup('product', found.has(id) ? 'hit' : missResult);
  if (missing.length > 0) {
    deps.metrics.load('product');
    const loaded = await deps.products.findByIds(missing);
    for (const product of loaded) found.set(product.id, product);
    if (cached.status !== 'unavailable') await deps.cache.putProducts(loaded);
  }
  return unique.flatMap((id) => {
    const product = found.get(id);
    return product ? [product] : [];
  });
}

/**
 * findProductsByIds for public reads, which may answer from the stale copies when the
 * database cannot be reached: the fresh cache first, then each missing product's stale
 * copy (one MGET). Products with neither are left out, as unknown ids are.
 */
export async function findProductsServingStale(
  deps: CatalogDeps,
  ids: readonly string[],
): Promise<CatalogRead<Product[]>> {
  try {
    return { value: await findProductsByIds(deps, ids), stale: false };
  } catch (error) {
    if (!isConnectionFailure(error)) throw error;
    const cached = await deps.cache.getProducts(ids);
    const found = cached.status === 'hit' ? cached.value : new Map<string, Product>();
    const stale = await deps.cache.getStaleProducts(ids.filter((id) => !found.has(id)));
    if (stale.size === 0 && found.size === 0 && ids.length > 0) throw error;
    for (const [id, product] of stale) found.set(id, product);
    deps.metrics.staleServed('product');
    addEvent('cache.stale_served', { 'surge.cache.name': 'product', 'surge.product.count': stale.size });
    return { value: ids.flatMap((id) => found.get(id) ?? []), stale: true };
  }
}
