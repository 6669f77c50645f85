import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor, filterFingerprint } from './cursor';
import { findProductsServingStale } from './find-products';
import type { CatalogDeps, CatalogRead } from './ports';
import { toPublicProduct, type CatalogFilters, type Product, type PublicProduct } from './product';
import { readThrough } from './read-through';

export interface ListQuery {
  filters: CatalogFilters;
  limit: number;
  cursor: string | undefined;
}

export interface ProductPage {
  items: PublicProduct[];
  nextCursor: string | null;
}

/** A page as cached: ids only, so a stock change (which does not move a product) never stales it. */
interface CachedPage {
  ids: string[];
  nextCursor: string | null;
}

/** A freshly loaded page also carries its rows, so the first reader needs no second query. */
type LoadedPage = CachedPage & { products?: Product[] };

/**
 * GET /api/products: keyset pagination over (name, id) when browsing and (rank, id) when
 * searching; the cursor is the last key of the previous page. Pages are cached under
 * the catalog generation, which every catalog write bumps, and hold product ids that
 * are hydrated from the product cache, which every write (stock included) refreshes.
 *
 * While the database is unreachable, the page's last copy (kept per query, whatever the
 * generation) and the products' stale copies answer, marked `stale`.
 */
export async function listProducts(deps: CatalogDeps, query: ListQuery): Promise<CatalogRead<ProductPage>> {
  const fingerprint = filterFingerprint(query.filters);
  const after =
    query.cursor === undefined
      ? undefined
      : decodeCursor(query.cursor, fingerprint, query.filters.q === undefined ? 'name' : 'rank');
  const generation = await deps.cache.generation();
  const key = `list:${generation ?? 'none'}:${pageHash(query)}`;
  const staleName = `list:${pageHash(query)}`;
  const read = await readThrough<LoadedPage>(deps, {
    cache: 'list',
    key,
    get: () =>
      generation === undefined
        ? Promise.resolve({ status: 'unavailable' })
        : deps.cache.getJson<CachedPage>(key),
    load: async () => {
      const rows = await deps.products.search({ filters: query.filters, after, limit: query.limit });
      await deps.cache.putProducts(rows.products);
      return {
        ids: rows.products.map((product) => product.id),
        nextCursor: rows.nextKey ? encodeCursor(rows.nextKey, fingerprint) : null,
        products: rows.products,
      };
    },
    put: ({ ids, nextCursor }) => deps.cache.putJson(key, { ids, nextCursor }, staleName),
    stale: () => deps.cache.getStaleJson<CachedPage>(staleName),
  });
  const page = read.value;
  if (!page) return { value: { items: [], nextCursor: null }, stale: read.stale };
  const products = page.products
    ? { value: page.products, stale: false }
    : await findProductsServingStale(deps, page.ids);
  return {
    value: { items: products.value.map(toPublicProduct), nextCursor: page.nextCursor },
    stale: read.stale || products.stale,
  };
}

function pageHash(query: ListQuery): string {
  const { q, category, minPrice, maxPrice } = query.filters;
  const canonical = JSON.stringify([q, category, minPrice, maxPrice, query.limit, query.cursor]);
  return createHash('sha256').update(canonical).digest('base64url');
}
