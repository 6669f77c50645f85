import { z } from 'zod';
import { cursorField, defineCursor } from '../cursor';
import {
  currencyInAnswer,
  CURSOR_DESCRIPTION,
  instant,
  limitParam,
  minorUnits,
  named,
  pageOf,
} from './common';

/** GET /api/payments (docs/api-contract.md, "Payments and notifications"). */

/**
 * Opaque keyset cursor over (createdAt, id), as the orders' (orders.ts says why the
 * instant keeps its microseconds): a page like every other list's, so a customer with
 * more payments than one page reaches the older ones.
 */
export const paymentCursor = defineCursor({
  list: 'payments',
  fields: [cursorField.microInstant, cursorField.uuid],
  toFields: (position: { createdAt: string; id: string }) => [position.createdAt, position.id],
  fromFields: ([createdAt, id]) => ({ createdAt, id }),
});

/**
 * A parameter the route does not take is a 400, as an unknown body field is: ignored, a
 * misspelt filter (`?orderid=`) listed every payment as if unfiltered, and an outside
 * fuzzer counted it a schema-violating request accepted.
 */
export const listPaymentsQuery = z.strictObject({
  orderId: z.uuid().optional().meta({ description: "Only this order's payments." }),
  limit: limitParam,
  cursor: paymentCursor.param.optional().meta({ description: CURSOR_DESCRIPTION }),
});

export const payment = named(
  'Payment',
  'A charge of an order and what became of it.',
  z.object({
    id: z.uuid(),
    orderId: z.uuid(),
    amountCents: minorUnits(Number.MAX_SAFE_INTEGER),
    currency: currencyInAnswer,
    status: z.enum(['CAPTURED', 'DECLINED', 'REFUNDED']),
    createdAt: instant,
  }),
);

export const paymentList = named(
  'PaymentList',
  "One page of the caller's payments (an admin's: everybody's), newest first.",
  pageOf(payment),
);
