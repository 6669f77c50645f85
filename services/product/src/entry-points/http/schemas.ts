import { z } from 'zod';
import { currencyCode, MAX_CURSOR_LENGTH } from '@surge/contracts';

/**
 * Inputs of the catalog part of docs/api-contract.md and of docs/internal-apis.md. Public bodies
 * are strict (unknown fields are 400, as the OpenAPI document says); internal bodies
 * ignore unknown fields, so the order service can add some without a lockstep deploy.
 */
export const MAX_PRICE_CENTS = 1_000_000_000;
export const MAX_STOCK = 100_000_000;

// Postgres text cannot hold NUL, and control, format and lone-surrogate characters in a
// name are spoofing or log-injection material: rejected up front, so they are a 400,
// never a database error. Everything else, quotes and markup included, is stored as is.
const NO_CONTROL = /^[^\p{Cc}\p{Cf}\p{Cs}]*$/u;
const NO_CONTROL_BUT_NEWLINES = /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}])*$/u;

const line = (max: number) =>
  z.string().trim().min(1).max(max).regex(NO_CONTROL, 'must not contain control characters');

export const uuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID')
  .transform((value) => value.toLowerCase());

const productFields = {
  sku: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  name: line(200),
  description: z.string().max(5_000).regex(NO_CONTROL_BUT_NEWLINES, 'must not contain control characters'),
  category: line(100),
  priceCents: z.number().int().min(0).max(MAX_PRICE_CENTS),
  // ISO 4217, from the one list (packages/contracts): `priceCents` counts the currency's
  // minor unit, whatever its exponent (cents for USD, yen for JPY, fils for KWD).
  currency: currencyCode,
  stock: z.number().int().min(0).max(MAX_STOCK),
};

export const createProductBody = z.strictObject({
  ...productFields,
  currency: productFields.currency.default('USD'),
});

export const updateProductBody = z
  .strictObject({
    sku: productFields.sku.optional(),
    name: productFields.name.optional(),
    description: productFields.description.optional(),
    category: productFields.category.optional(),
    priceCents: productFields.priceCents.optional(),
    currency: productFields.currency.optional(),
    stock: productFields.stock.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');

/** Query strings: a blank value means "not given"; numbers are plain digits only. */
const blankAsAbsent = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,12}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max));
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsAbsent, schema.optional());

/** A parameter the route does not take is a 400: a misspelt `?catgory=` answered the whole catalog. */
export const listQuery = z
  .strictObject({
    q: optional(line(200)),
    category: optional(line(100)),
    minPrice: optional(whole(0, MAX_PRICE_CENTS)),
    maxPrice: optional(whole(0, MAX_PRICE_CENTS)),
    limit: z.preprocess(blankAsAbsent, whole(1, 100).default(20)),
    // Not blank-as-absent: an empty cursor is not one this API handed out (400), and a
    // client that means "first page" leaves the parameter out.
    cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
  })
  .refine(
    (query) =>
      query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice,
    { path: ['maxPrice'], message: 'must not be below minPrice' },
  );

export const lookupBody = z.object({ ids: z.array(uuid).min(1).max(100) });

export const reserveBody = z.object({
  orderId: uuid,
  items: z
    .array(z.object({ productId: uuid, quantity: z.number().int().min(1).max(MAX_STOCK) }))
    .min(1)
    .max(100),
});
