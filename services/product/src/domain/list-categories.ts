import type { CatalogDeps, CatalogRead } from './ports';
import type { Category } from './product';
import { categoriesKey, CATEGORIES_STALE_NAME } from './cache-keys';
import { readThrough } from './read-through';

/**
 * Categories with product counts; cached per catalog generation, so any catalog write
 * refreshes them. While the database is unreachable, the last counts written (`stale`).
 */
export async function listCategories(deps: CatalogDeps): Promise<CatalogRead<Category[]>> {
  const generation = await deps.cache.generation();
  const key = categoriesKey(generation);
  const read = await readThrough(deps, {
    cache: 'categories',
    key,
    get: () =>
      generation === undefined
        ? Promise.resolve({ status: 'unavailable' as const })
        : deps.cache.getJson<Category[]>(key),
    load: () => deps.products.categories(),
    put: (loaded) => deps.cache.putJson(key, loaded, CATEGORIES_STALE_NAME),
    stale: () => deps.cache.getStaleJson<Category[]>(CATEGORIES_STALE_NAME),
  });
  return { value: read.value ?? [], stale: read.stale };
}
