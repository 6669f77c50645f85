import { z } from 'zod';
import { currencyCode } from '../currencies';
import { anyCaseUuid, uuidAnswer } from '../ids';
import {
  COMMON_ANSWERS,
  JSON_BODY_ANSWERS,
  SERVICE_AUTH_ANSWERS,
  problemAnswer,
  problemOf,
  type RouteContract,
} from './route-contract';

/**
 * The product service's internal API (docs/internal-apis.md, "Product service"), called
 * by the order service with a service token for `product`. Request bodies ignore unknown
 * fields, so the order service can add one without a lockstep deploy; answers are read
 * the same way (a client keeps only the fields it knows).
 */

/** Bounds shared with the catalog's own writes (services/product). */
export const MAX_PRICE_CENTS = 1_000_000_000;
export const MAX_STOCK = 100_000_000;
/** One lookup or reservation covers at most this many ids or lines. */
export const MAX_LINES = 100;

const priceCents = z.number().int().min(0).max(MAX_PRICE_CENTS);
const quantity = z.number().int().min(1).max(MAX_STOCK);

// ---- POST /internal/products/lookup ------------------------------------------------

export const productLookupRequest = z.object({ ids: z.array(anyCaseUuid).min(1).max(MAX_LINES) });

export const productInfo = z.object({
  id: uuidAnswer,
  sku: z.string().min(1),
  name: z.string().min(1),
  priceCents,
  currency: currencyCode,
  stock: z.number().int().min(0),
});
export type ProductInfo = z.infer<typeof productInfo>;

export const productLookupAnswer = z.object({
  items: z
    .array(productInfo)
    .max(MAX_LINES)
    .describe('The known products among the ids; unknown ids are absent'),
});

export const lookupProductsRoute = {
  service: 'product',
  operationId: 'lookupProducts',
  method: 'post',
  path: '/internal/products/lookup',
  summary: 'Prices and stock of up to 100 products in one call',
  description: 'Unknown ids are left out of the answer: the caller decides what an unknown product means.',
  callers: ['order'],
  body: productLookupRequest,
  responses: {
    200: { description: 'The known products, in the order asked', body: productLookupAnswer },
    ...JSON_BODY_ANSWERS,
    ...SERVICE_AUTH_ANSWERS,
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

// ---- POST /internal/reservations -----------------------------------------------------

export const reservationLineRequest = z.object({ productId: anyCaseUuid, quantity });

export const reserveStockRequest = z.object({
  orderId: anyCaseUuid,
  items: z.array(reservationLineRequest).min(1).max(MAX_LINES),
});
export type ReserveStockRequest = z.input<typeof reserveStockRequest>;

export const reservationLine = z.object({
  productId: uuidAnswer,
  quantity,
  priceCents: priceCents.describe('The price at reservation time: the price the order charges'),
  currency: currencyCode,
});
export type ReservationLine = z.infer<typeof reservationLine>;

export const RESERVATION_STATUSES = ['RESERVED', 'COMMITTED', 'RELEASED', 'RETURNED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/**
 * A reservation holds one currency: lines priced in two are refused (409
 * CURRENCY_MISMATCH) under the row locks, never answered. A reservation answer with two
 * currencies breaks the contract, and a client reading one gets a contract violation.
 */
const oneCurrency = (reservation: { items: ReadonlyArray<{ currency: string }> }) =>
  new Set(reservation.items.map((line) => line.currency)).size <= 1;

const reservationOf = <S extends z.ZodType<ReservationStatus>>(
  status: S,
  lines = z.array(reservationLine).min(1).max(MAX_LINES).describe('One line per product, in one currency'),
) =>
  z
    .object({ orderId: uuidAnswer, status, items: lines })
    .refine(oneCurrency, { path: ['items'], message: 'the lines of a reservation share one currency' });

/** 201: reserved now, or a repeat while the reservation is still RESERVED. */
export const reservationAnswer = reservationOf(z.literal('RESERVED'));
export type ReservationAnswer = z.infer<typeof reservationAnswer>;

/**
 * 200: a repeat for a reservation that was committed, released or returned since. A release
 * that came first (a saga compensating a reserve it never saw answered) leaves a RELEASED
 * reservation without lines, so a late reserve reserves nothing: its answer has no items.
 */
export const settledReservationAnswer = reservationOf(
  z.enum(['COMMITTED', 'RELEASED', 'RETURNED']),
  z
    .array(reservationLine)
    .max(MAX_LINES)
    .describe(
      'One line per product, in one currency; none for an order released before it reserved anything',
    ),
);

const productIds = z.array(uuidAnswer).min(1);

export const insufficientStockProblem = problemOf(['INSUFFICIENT_STOCK'], {
  productIds: productIds.describe('The products short of stock'),
});
export const currencyMismatchProblem = problemOf(['CURRENCY_MISMATCH'], {
  currencies: z.record(uuidAnswer, currencyCode).describe('Product id → its currency'),
  productIds,
});

export const reserveStockRoute = {
  service: 'product',
  operationId: 'reserveStock',
  method: 'post',
  path: '/internal/reservations',
  summary: 'Reserves every line of an order, or none',
  description:
    'Idempotent by `orderId`: a repeat answers the stored reservation and reserves nothing more. ' +
    'Stock never goes negative, however many buyers race.',
  callers: ['order'],
  body: reserveStockRequest,
  responses: {
    200: {
      description: 'A repeat for a reservation that is no longer RESERVED: its current status',
      body: settledReservationAnswer,
    },
    201: { description: 'Reserved (first call, or a repeat while RESERVED)', body: reservationAnswer },
    ...JSON_BODY_ANSWERS,
    404: problemAnswer('Unknown products (`productIds`); nothing was reserved', ['NOT_FOUND'], {
      productIds: productIds.describe('The unknown products'),
    }),
    409: {
      description:
        'Products short of stock (`productIds`), or lines priced in more than one currency ' +
        '(`currencies`); nothing was reserved',
      body: z.discriminatedUnion('code', [insufficientStockProblem, currencyMismatchProblem]),
      codes: ['INSUFFICIENT_STOCK', 'CURRENCY_MISMATCH'],
    },
    ...SERVICE_AUTH_ANSWERS,
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

// ---- POST /internal/reservations/{orderId}/commit | release ---------------------------

export const reservationParams = z.object({
  orderId: anyCaseUuid.describe('The order the reservation is for'),
});

export const commitAnswer = z.object({ orderId: uuidAnswer, status: z.literal('COMMITTED') });

export const commitReservationRoute = {
  service: 'product',
  operationId: 'commitReservation',
  method: 'post',
  path: '/internal/reservations/{orderId}/commit',
  summary: 'RESERVED → COMMITTED: the order is paid, its units are sold',
  description: 'Idempotent: committing a committed reservation answers 200 again.',
  callers: ['order'],
  params: reservationParams,
  responses: {
    200: { description: 'Committed', body: commitAnswer },
    ...JSON_BODY_ANSWERS,
    404: problemAnswer('No reservation for this order', ['NOT_FOUND']),
    409: problemAnswer('The reservation was released or returned; it cannot be committed', ['CONFLICT'], {
      reservationStatus: z.enum(['RELEASED', 'RETURNED']),
    }),
    ...SERVICE_AUTH_ANSWERS,
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

/** NONE: there was no reservation (a saga compensating one that never happened). */
export const releaseAnswer = z.object({
  orderId: uuidAnswer,
  status: z.enum(['RELEASED', 'RETURNED', 'NONE']),
});

export const releaseReservationRoute = {
  service: 'product',
  operationId: 'releaseReservation',
  method: 'post',
  path: '/internal/reservations/{orderId}/release',
  summary:
    'Gives the units back: RESERVED → RELEASED (a cancelled checkout), COMMITTED → RETURNED (a refund)',
  description:
    'Idempotent, and safe for an order that never reserved (`NONE`), so a saga can always compensate.',
  callers: ['order'],
  params: reservationParams,
  responses: {
    200: { description: 'Released, returned, or nothing to release', body: releaseAnswer },
    ...JSON_BODY_ANSWERS,
    ...SERVICE_AUTH_ANSWERS,
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

export const PRODUCT_INTERNAL_ROUTES = [
  lookupProductsRoute,
  reserveStockRoute,
  commitReservationRoute,
  releaseReservationRoute,
] as const;
