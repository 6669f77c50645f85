import { z } from 'zod';
import { currencyInAnswer, instant, minorUnits, named } from './common';

/** GET /api/payments (docs/api-contract.md, "Payments and notifications"). */
/**
 * A parameter the route does not take is a 400, as an unknown body field is: ignored, a
 * misspelt filter (`?orderid=`) listed every payment as if unfiltered, and an outside
 * fuzzer counted it a schema-violating request accepted.
 */
export const listPaymentsQuery = z.strictObject({
  orderId: z.uuid().optional().meta({ description: "Only this order's payments." }),
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
  "The caller's payments (an admin's: everybody's), newest first, at most 100.",
  z.array(payment),
);
