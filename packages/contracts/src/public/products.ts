import { z } from 'zod';
import { cursorText } from '../cursor';
import {
  anyCaseUuid,
  blankAsAbsent,
  blankIsAbsent,
  acceptedCurrency,
  CURSOR_DESCRIPTION,
  instant,
  minorUnits,
  named,
  PRINTABLE_OR_BLANK,
  NO_CONTROL_BUT_NEWLINES,
  pageOf,
  plainLine,
  wholeNumber,
} from './common';

/** The catalog (docs/api-contract.md, "Catalog"): products and categories. Its bounds are
 * the reservations' too, so they are defined once, with the internal API. */
import { MAX_PRICE_CENTS, MAX_STOCK } from '../internal/product-api';
export { MAX_PRICE_CENTS, MAX_STOCK };

/** A product id in a path: anything that is not a UUID names no product (404, never 400). */
export const productIdParam = anyCaseUuid;

/** A text filter: blank already means absent (blankIsAbsent), so what is left has a character. */
const queryText = (max: number) =>
  z.string().max(max).trim().regex(PRINTABLE_OR_BLANK, 'must not contain control or format characters');

/**
 * A text filter where blank means absent, within its length limit: the document's maxLength
 * is said of the text as sent, blank or not (101 no-break spaces as a 100-character
 * `category` were taken as "no filter" and answered 200).
 */
const textFilter = (max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.length > max ? value : blankAsAbsent(value)),
    queryText(max).optional(),
  );

/** The fields an admin writes (admin.ts builds the create and update bodies from them). */
export const productFields = {
  sku: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .meta({ examples: ['SKU-00042'] }),
  name: plainLine(200),
  description: z.string().max(5_000).regex(NO_CONTROL_BUT_NEWLINES, 'must not contain control characters'),
  category: plainLine(100),
  priceCents: minorUnits(MAX_PRICE_CENTS),
  // ISO 4217, from the one list: `priceCents` counts the currency's minor unit.
  currency: acceptedCurrency,
  stock: z
    .number()
    .int()
    .min(0)
    .max(MAX_STOCK)
    .meta({ description: 'Units that can still be bought (reserved units are not in it).' }),
};

/** A parameter the route does not take is a 400: a misspelt `?catgory=` answered the whole catalog. */
export const listProductsQuery = z
  .strictObject({
    q: textFilter(200).meta({
      description: 'Words to find in the name or description; blank is the same as absent.',
    }),
    category: textFilter(100).meta({ description: 'Only this category (exact name).' }),
    minPrice: blankIsAbsent(wholeNumber(0, MAX_PRICE_CENTS)).meta({
      description: 'Lowest `priceCents`, in minor units.',
    }),
    maxPrice: blankIsAbsent(wholeNumber(0, MAX_PRICE_CENTS)).meta({
      description: 'Highest `priceCents`, in minor units; not below `minPrice` (400).',
    }),
    limit: z
      .preprocess(blankAsAbsent, wholeNumber(1, 100).default(20))
      .meta({ description: 'Page size, 1..100.' }),
    // Not blank-as-absent: an empty cursor is not one this API handed out (400), and a
    // client that means "first page" leaves the parameter out.
    cursor: cursorText.optional().meta({ description: CURSOR_DESCRIPTION }),
  })
  .refine(
    (query) =>
      query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice,
    { path: ['maxPrice'], message: 'must not be below minPrice' },
  );

export const product = named(
  'Product',
  'A product of the catalog, with what can still be bought.',
  z.object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    priceCents: minorUnits(MAX_PRICE_CENTS),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .meta({ description: 'ISO 4217 code.', examples: ['USD'] }),
    stock: productFields.stock,
    updatedAt: instant,
  }),
);

export const productList = named('ProductList', 'One page of products.', pageOf(product));

export const category = named(
  'Category',
  'A category and how many products are in it.',
  z.object({ name: z.string(), count: z.number().int().min(0) }),
);

export const categoryList = named('CategoryList', 'Every category, by name.', z.array(category));
