import { appendToOutbox, prepareOutboxRow, type OutboxInput, type OutboxRow } from '@surge/messaging';
import type { Queryable } from '@surge/postgres';
import type { Product } from '../domain/product';

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price_cents: number;
  currency: string;
  stock: number;
  version: number;
  updated_at: Date;
}

/** The columns a Product is made of, optionally qualified (`p.id, p.sku, ...`) for joins. */
export function productColumns(alias?: string): string {
  const names = [
    'id',
    'sku',
    'name',
    'description',
    'category',
    'price_cents',
    'currency',
    'stock',
    'version',
    'updated_at',
  ];
  return names.map((name) => (alias ? `${alias}.${name}` : name)).join(', ');
}

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    category: row.category,
    priceCents: row.price_cents,
    currency: row.currency,
    stock: row.stock,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

export const EVENT_SOURCE = '/surge/product';

/**
 * Appends `product.updated` for a product's new version, inside the transaction that
 * made it: the event exists if and only if the change committed. Built from the row the
 * write returned, so announcing a change costs one insert and no extra read.
 */
export async function appendProductUpdated(tx: Queryable, product: Product): Promise<void> {
  await appendToOutbox(tx, productUpdated(product));
}

/** The same event as an outbox row, for a statement that writes it with the change (outboxInsert). */
export function productUpdatedRow(product: Product): OutboxRow {
  return prepareOutboxRow(productUpdated(product));
}

function productUpdated(product: Product): OutboxInput<'product.updated'> {
  return {
    type: 'product.updated',
    source: EVENT_SOURCE,
    subject: product.id,
    data: {
      productId: product.id,
      sku: product.sku,
      name: product.name,
      priceCents: product.priceCents,
      currency: product.currency,
      stock: product.stock,
      version: product.version,
    },
  };
}
