import { z } from 'zod';
import { named } from './common';
import { productFields } from './products';

/** What only an admin may send (the catalog's writes); every other route is a customer's. */
export const createProductBody = named(
  'CreateProductRequest',
  'A new product; `currency` defaults to USD.',
  z.strictObject({ ...productFields, currency: productFields.currency.default('USD') }),
);

export const updateProductBody = named(
  'UpdateProductRequest',
  'Any Product field but `id`, at least one; `stock` sets the absolute stock.',
  z
    .strictObject({
      sku: productFields.sku.optional(),
      name: productFields.name.optional(),
      description: productFields.description.optional(),
      category: productFields.category.optional(),
      priceCents: productFields.priceCents.optional(),
      currency: productFields.currency.optional(),
      stock: productFields.stock.optional(),
    })
    .refine((body) => Object.keys(body).length > 0, 'give at least one field to change')
    .meta({ minProperties: 1 }),
);
