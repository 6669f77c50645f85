import type { CatalogQuery, Category, NewProduct, Product, ProductChanges, ProductRows } from './product';
import type { ReleaseOutcome, CommitOutcome, ReservationLineRequest, ReserveOutcome } from './reservation';
import type { SingleFlight } from './single-flight';

/**
 * What the use cases need from the outside world. data-access implements these; the
 * domain knows no pg or ioredis.
 */
export interface ProductStore {
  findById(id: string): Promise<Product | undefined>;
  /** The products that exist among `ids`, in no particular order. */
  findByIds(ids: readonly string[]): Promise<Product[]>;
  search(query: CatalogQuery): Promise<ProductRows>;
  categories(): Promise<Category[]>;
  /** Inserts the product and its `product.updated` event in one transaction. */
  create(product: NewProduct): Promise<Product | 'DUPLICATE_SKU'>;
  /** Applies the changes and writes `product.updated` in one transaction. */
  update(id: string, changes: ProductChanges): Promise<Product | 'NOT_FOUND' | 'DUPLICATE_SKU'>;
}

export interface InventoryStore {
  reserve(orderId: string, lines: readonly ReservationLineRequest[]): Promise<ReserveOutcome>;
  commit(orderId: string): Promise<CommitOutcome>;
  release(orderId: string): Promise<ReleaseOutcome>;
}

/** A cache read: `unavailable` means Redis is down or slow, and the caller must not wait for it. */
export type CacheLookup<T> = { status: 'hit'; value: T } | { status: 'miss' } | { status: 'unavailable' };

/**
 * The Redis side of the catalog. No method throws: a cache outage degrades to misses
 * (reads go to the database) and skipped writes, logged at most every 10 s.
 */
export interface CatalogCache {
  getProduct(id: string): Promise<CacheLookup<Product>>;
  /** The cached products among `ids` (a hit may be partial). */
  getProducts(ids: readonly string[]): Promise<CacheLookup<Map<string, Product>>>;
  /** Versioned write: never replaces a cached product with an older version of it. */
  putProducts(products: readonly Product[]): Promise<void>;
  /** The catalog generation, part of every list key; undefined when the cache is unavailable. */
  generation(): Promise<number | undefined>;
  /**
   * The catalog generation, the list page cached under it (listPageKey)
   * and that page's cached products, in one round trip: the warm list page's whole read.
   */
  getListPage<P>(pageHash: string): Promise<ListPageLookup<P>>;
  /** Makes every cached list page and category count unreachable (they expire by TTL). */
  bumpGeneration(): Promise<void>;
  getJson<T>(key: string): Promise<CacheLookup<T>>;
  /** Also keeps a stale copy under `staleName` when given (a key without the generation). */
  putJson(key: string, value: unknown, staleName?: string): Promise<void>;
  /** The last known copies among `ids`, for when the database is down (empty when Redis is too). */
  getStaleProducts(ids: readonly string[]): Promise<Map<string, Product>>;
  /** The last value written with `staleName`, for when the database is down. */
  getStaleJson<T>(staleName: string): Promise<T | undefined>;
}

/**
 * What getListPage found: `page` is absent on a miss; `productTexts` holds the public JSON
 * text of each product of the page, in the page's order, undefined where one is not cached.
 */
export type ListPageLookup<P> =
  | { status: 'unavailable' }
  | { status: 'found'; generation: number; page?: P; productTexts: ReadonlyArray<string | undefined> };

export type CacheName = 'product' | 'list' | 'categories';

export interface CacheMetrics {
  /** One cache lookup and what it found. */
  lookup(cache: CacheName, result: 'hit' | 'miss' | 'unavailable'): void;
  /** One database load after a miss (after single-flight coalescing). */
  load(cache: CacheName): void;
  /** One answer served from the stale copy because the database could not be reached. */
  staleServed(cache: CacheName): void;
}

/** A read's value, and whether it came from the stale copy (the database was down). */
export interface CatalogRead<T> {
  value: T;
  stale: boolean;
}

/** What the catalog read and write use cases share. */
export interface CatalogDeps {
  products: ProductStore;
  cache: CatalogCache;
  metrics: CacheMetrics;
  flights: SingleFlight;
}
