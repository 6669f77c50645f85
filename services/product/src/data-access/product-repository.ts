import { isUniqueViolation, withTransaction, type Pool } from '@surge/postgres';
import type { ProductStore } from '../domain/ports';
import type { Category, NewProduct, ProductChanges } from '../domain/product';
import { appendProductUpdated, productColumns, toProduct, type ProductRow } from './product-rows';
import { searchProducts } from './product-search';

const SKU_CONSTRAINT = 'products_sku_key';

const INSERT = `INSERT INTO products (id, sku, name, description, category, price_cents, currency, stock, initial_stock)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
                RETURNING ${productColumns()}`;

// Absent fields keep their value (COALESCE). A new stock is absolute: the difference to
// the current one goes to `adjustments` in the same statement, under the row lock, so a
// reservation committing at the same moment cannot slip between the read and the write.
const UPDATE = `UPDATE products
                   SET sku = COALESCE($2, sku), name = COALESCE($3, name),
                       description = COALESCE($4, description), category = COALESCE($5, category),
                       price_cents = COALESCE($6, price_cents), currency = COALESCE($7, currency),
                       adjustments = adjustments + COALESCE($8::integer - stock, 0),
                       stock = COALESCE($8::integer, stock),
                       version = version + 1, updated_at = now()
                 WHERE id = $1
             RETURNING ${productColumns()}`;

export function createProductRepository(pool: Pool): ProductStore {
  return {
    async findById(id) {
      const { rows } = await pool.query<ProductRow>(
        `SELECT ${productColumns()} FROM products WHERE id = $1`,
        [id],
      );
      return rows[0] ? toProduct(rows[0]) : undefined;
    },

    async findByIds(ids) {
      const { rows } = await pool.query<ProductRow>(
        `SELECT ${productColumns()} FROM products WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows.map(toProduct);
    },

    search: (query) => searchProducts(pool, query),

    async categories() {
      const { rows } = await pool.query<Category>(
        'SELECT category AS name, count(*)::integer AS count FROM products GROUP BY category ORDER BY category',
      );
      return rows;
    },

    async create(product: NewProduct) {
      try {
        return await withTransaction(pool, async (tx) => {
          const { rows } = await tx.query<ProductRow>(INSERT, [
            product.id,
            product.sku,
            product.name,
            product.description,
            product.category,
            product.priceCents,
            product.currency,
            product.stock,
          ]);
          const created = toProduct(rows[0]!);
          await appendProductUpdated(tx, created);
          return created;
        });
      } catch (error) {
        if (isUniqueViolation(error, SKU_CONSTRAINT)) return 'DUPLICATE_SKU';
        throw error;
      }
    },

    async update(id, changes: ProductChanges) {
      try {
        return await withTransaction(pool, async (tx) => {
          const { rows } = await tx.query<ProductRow>(UPDATE, [
            id,
            changes.sku ?? null,
            changes.name ?? null,
            changes.description ?? null,
            changes.category ?? null,
            changes.priceCents ?? null,
            changes.currency ?? null,
            changes.stock ?? null,
          ]);
          if (!rows[0]) return 'NOT_FOUND' as const;
          const updated = toProduct(rows[0]);
          await appendProductUpdated(tx, updated);
          return updated;
        });
      } catch (error) {
        if (isUniqueViolation(error, SKU_CONSTRAINT)) return 'DUPLICATE_SKU';
        throw error;
      }
    },
  };
}
