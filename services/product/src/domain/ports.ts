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
  /** Makes every cached list page and category count unreachable (they expire by TTL). */
  bumpGeneration(): Promise<void>;
  getJson<T>(key: string): Promise<CacheLookup<T>>;
  putJson(key: string, value: unknown): Promise<void>;
}

export type CacheName = 'product' | 'list' | 'categories';

export interface CacheMetrics {
  /** One cache lookup and what it found. */
  lookup(cache: CacheName, result: 'hit' | 'miss' | 'unavailable'): void;
  /** One database load after a miss (after single-flight coalescing). */
  load(cache: CacheName): void;
}

/** What the catalog read and write use cases share. */
export interface CatalogDeps {
  products: ProductStore;
  cache: CatalogCache;
  metrics: CacheMetrics;
  flights: SingleFlight;
}
