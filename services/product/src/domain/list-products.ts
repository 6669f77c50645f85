import { createHash } from 'node:crypto';
import { addEvent } from '@surge/telemetry';
import { listPageKey, listPageStaleName } from './cache-keys';
import { decodeCursor, encodeCursor, filterFingerprint } from './cursor';
import { findProductsServingStale } from './find-products';
import type { CatalogDeps, CatalogRead, ListPageLookup } from './ports';
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

/**
 * A warm page as the cache gave it: `itemsJson` is the JSON array of its public products,
 * written from the cached texts as they are. The same answer as a ProductPage, byte for
 * byte, without parsing twenty products only to serialise them again.
 */
export interface RenderedProductPage {
  itemsJson: string;
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
 * A warm page (the page and all its products cached) costs one Redis round trip: the
 * generation, the page and its products are read by one script (getListPage).
 *
 * While the database is unreachable, the page's last copy (kept per query, whatever the
 * generation) and the products' stale copies answer, marked `stale`.
 */
export async function listProducts(
  deps: CatalogDeps,
  query: ListQuery,
): Promise<CatalogRead<ProductPage | RenderedProductPage>> {
  const fingerprint = filterFingerprint(query.filters);
  const after =
    query.cursor === undefined
      ? undefined
      : decodeCursor(query.cursor, fingerprint, query.filters.q === undefined ? 'name' : 'rank');
  const hash = pageHash(query);
  // Readers of the same page at once share one lookup, as readThrough's flight shares a GET.
  const warm = await deps.flights.run(`list-page:${hash}`, () => deps.cache.getListPage<CachedPage>(hash));
  const answered = answerFromCache(deps, warm);
  if (answered) return answered;
  const generation = warm.status === 'found' ? warm.generation : undefined;
  const key = listPageKey(generation, hash);
  const staleName = listPageStaleName(hash);
  const read = await readThrough<LoadedPage>(deps, {
    cache: 'list',
    key,
    get: () => {
      if (warm.status === 'unavailable') return Promise.resolve(warm);
      // The page was found but not all its products: hydrate it below, from the database.
      if (warm.page) return Promise.resolve({ status: 'hit', value: warm.page });
      // A miss is read again inside the flight: a load that just ended may have filled it.
      return deps.cache.getJson<CachedPage>(key);
    },
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

/**
 * The whole answer from the one-round-trip lookup when the page and every product of it
 * are cached (the warm path); undefined sends the read down the read-through path.
 */
function answerFromCache(
  deps: CatalogDeps,
  warm: ListPageLookup<CachedPage>,
): CatalogRead<RenderedProductPage> | undefined {
  if (warm.status !== 'found' || !warm.page) return undefined;
  const texts = warm.productTexts;
  if (texts.length !== warm.page.ids.length || texts.includes(undefined)) return undefined;
  deps.metrics.lookup('list', 'hit');
  addEvent('cache.lookup', { 'surge.cache.name': 'list', 'surge.cache.result': 'hit' });
  for (let i = 0; i < texts.length; i += 1) deps.metrics.lookup('product', 'hit');
  return { value: { itemsJson: `[${texts.join(',')}]`, nextCursor: warm.page.nextCursor }, stale: false };
}

function pageHash(query: ListQuery): string {
  const { q, category, minPrice, maxPrice } = query.filters;
  const canonical = JSON.stringify([q, category, minPrice, maxPrice, query.limit, query.cursor]);
  return createHash('sha256').update(canonical).digest('base64url');
}
