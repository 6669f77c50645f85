import type { CatalogDeps } from './ports';
import type { Category } from './product';
import { readThrough } from './read-through';

/** Categories with product counts; cached per catalog generation, so any catalog write refreshes them. */
export async function listCategories(deps: CatalogDeps): Promise<Category[]> {
  const generation = await deps.cache.generation();
  const key = `categories:${generation ?? 'none'}`;
  const categories = await readThrough(deps, {
    cache: 'categories',
    key,
    get: () =>
      generation === undefined
        ? Promise.resolve({ status: 'unavailable' as const })
        : deps.cache.getJson<Category[]>(key),
    load: () => deps.products.categories(),
    put: (loaded) => deps.cache.putJson(key, loaded),
  });
  return categories ?? [];
}
