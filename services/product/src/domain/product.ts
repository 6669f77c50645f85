/** A product as this service stores and caches it (docs/api-contract.md "Catalog" plus `version`). */
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  /** Units that can still be bought; reserved units are not in it. */
  stock: number;
  /** Bumped by every visible change: the ETag, the event version, the cache's ordering. */
  version: number;
  /** ISO 8601, so a cached product serialises without conversion. */
  updatedAt: string;
}

/** What the public API shows: everything but the internal version. */
export type PublicProduct = Omit<Product, 'version'>;

export function toPublicProduct(product: Product): PublicProduct {
  const { version: _version, ...visible } = product;
  return visible;
}

export interface NewProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  stock: number;
}

/** PATCH: any field but id; `stock` sets the absolute available stock. */
export type ProductChanges = Partial<Omit<NewProduct, 'id'>>;

export interface Category {
  name: string;
  count: number;
}

/** The filters of GET /api/products, normalised (blank means absent). */
export interface CatalogFilters {
  q: string | undefined;
  category: string | undefined;
  minPrice: number | undefined;
  maxPrice: number | undefined;
}

/** Where a page starts: just after the last row of the previous page, in its sort order. */
export type CursorKey =
  { kind: 'name'; name: string; id: string } | { kind: 'rank'; rank: number; id: string };

export interface CatalogQuery {
  filters: CatalogFilters;
  after: CursorKey | undefined;
  limit: number;
}

export interface ProductRows {
  products: Product[];
  /** The key of the last product returned, when more rows follow it. */
  nextKey: CursorKey | undefined;
}
