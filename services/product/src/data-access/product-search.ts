import type { Queryable } from '@surge/postgres';
import type { CatalogQuery, CursorKey, ProductRows } from '../domain/product';
import { productColumns, toProduct, type ProductRow } from './product-rows';

/**
 * GET /api/products as keyset ("seek") pagination: each page starts right after the
 * previous page's last key, so page 500 reads the same few index entries as page 1,
 * where OFFSET would read and discard every earlier row.
 *
 * Orders (each made total by `id`, so no two rows tie and a walk never skips or repeats):
 * - browsing: (name, id). Alphabetical is what a shopper scans, and with the category
 *   filter it is served entirely by the (category, name, id) index; without it by
 *   (name, id). A price range is checked on the rows the index walk visits, so a deep
 *   page costs limit / selectivity rows, still independent of its depth.
 * - searching: (rank DESC, id). Relevance is computed per row and cannot be indexed:
 *   the GIN index finds the matches and a top-N sort keeps the page; each page costs
 *   one pass over the matches, whatever its depth.
 */
export async function searchProducts(db: Queryable, query: CatalogQuery): Promise<ProductRows> {
  const params: unknown[] = [];
  const param = (value: unknown, cast = ''): string => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const ranked = query.filters.q !== undefined;
  const sql = ranked ? searchSql(query, param) : browseSql(query, param);
  // One row more than the page: whether it exists says if there is a next page.
  const { rows } = await db.query<RankedRow>(`${sql} LIMIT ${param(query.limit + 1)}`, params);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    products: page.map(toProduct),
    nextKey: rows.length > query.limit && last ? keyOf(last, ranked) : undefined,
  };
}

type RankedRow = ProductRow & { rank?: number };
type Param = (value: unknown, cast?: string) => string;

function filterConditions({ filters }: CatalogQuery, param: Param): string[] {
  const where: string[] = [];
  if (filters.category !== undefined) where.push(`category = ${param(filters.category)}`);
  if (filters.minPrice !== undefined) where.push(`price_cents >= ${param(filters.minPrice)}`);
  if (filters.maxPrice !== undefined) where.push(`price_cents <= ${param(filters.maxPrice)}`);
  return where;
}

/** A row comparison on (name, id), which the (category, name, id) and (name, id) indexes seek to. */
function browseSql(query: CatalogQuery, param: Param): string {
  const where = filterConditions(query, param);
  const { after } = query;
  if (after?.kind === 'name') where.push(`(name, id) > (${param(after.name)}, ${param(after.id, '::uuid')})`);
  return `SELECT ${productColumns()} FROM products ${whereClause(where)} ORDER BY name, id`;
}

/** websearch_to_tsquery never fails on user input: quotes, `or`, `-word`, stray operators are all fine. */
function searchSql(query: CatalogQuery, param: Param): string {
  const where = [`search @@ query`, ...filterConditions(query, param)];
  const ranked = `SELECT ${productColumns()}, ts_rank(search, query)::float8 AS rank
                    FROM products, websearch_to_tsquery('english', ${param(query.filters.q)}) AS query
                   ${whereClause(where)}`;
  let seek = '';
  if (query.after?.kind === 'rank') {
    const [rank, id] = [param(query.after.rank, '::float8'), param(query.after.id, '::uuid')];
    seek = `WHERE rank < ${rank} OR (rank = ${rank} AND id > ${id})`;
  }
  return `SELECT * FROM (${ranked}) AS ranked ${seek} ORDER BY rank DESC, id`;
}

function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

function keyOf(row: RankedRow, ranked: boolean): CursorKey {
  return ranked
    ? { kind: 'rank', rank: row.rank ?? 0, id: row.id }
    : { kind: 'name', name: row.name, id: row.id };
}
