import { z } from 'zod';
import { listedCurrencyCode } from '../currencies';
import { idempotencyKey } from '../idempotency';
import {
  COMMON_ANSWERS,
  JSON_BODY_ANSWERS,
  SERVICE_AUTH_ANSWERS,
  problemAnswer,
  type RouteContract,
} from './route-contract';

/**
 * The payment service's internal API (docs/internal-apis.md, "Payment service"), called
 * by the order service with a service token for `payment`. Bodies are strict: a field
 * the payment service does not know could be money it would silently ignore.
 */

/** Whole minor units of the currency; the bound keeps amounts exact as JavaScript numbers. */
export const MAX_AMOUNT_CENTS = 1_000_000_000_000;
export const amountCents = z.number().int().min(0).max(MAX_AMOUNT_CENTS);
/** A card token as the provider takes it (`tok_visa`, `tok_decline` with the simulator). */
export const paymentToken = z.string().min(1).max(200);

/** The payment service's own calls to the provider fail over to these. */
const UPSTREAM_ANSWERS = {
  502: problemAnswer('The payment provider answered outside its contract; the outcome is unknown', [
    'UPSTREAM_CONTRACT_VIOLATION',
  ]),
} as const satisfies Record<number, unknown>;

// ---- POST /internal/payments/charge ---------------------------------------------------

export const chargeRequest = z.strictObject({
  orderId: z.uuid(),
  userId: z.uuid(),
  amountCents,
  currency: listedCurrencyCode.default('USD'),
  token: paymentToken,
});
export type ChargeRequest = z.input<typeof chargeRequest>;

/** The key is the order id: one order, one charge, on every hop (order → payment → provider). */
export const chargeHeaders = z.object({
  'idempotency-key': idempotencyKey.describe('The order id, exactly as in the body'),
});

export const chargeAnswer = z.object({
  id: z.uuid().describe('The payment id'),
  orderId: z.uuid(),
  status: z.literal('CAPTURED').describe('A 201 always reports the capture it answers, also after a refund'),
  amountCents,
  currency: listedCurrencyCode,
});
export type ChargeAnswer = z.infer<typeof chargeAnswer>;

const paymentRef = { paymentId: z.uuid(), orderId: z.uuid() };

export const chargePaymentRoute = {
  service: 'payment',
  operationId: 'chargePayment',
  method: 'post',
  path: '/internal/payments/charge',
  summary: "Charges an order's total, at most once",
  description:
    'Idempotent by order id: the provider is called with the same key on every retry, so a ' +
    'retried charge never captures twice. A replay answers what the first call answered. ' +
    '503 and 504 mean the outcome is unknown: retry the same call with the same key until 201 or 402.',
  callers: ['order'],
  headers: chargeHeaders,
  body: chargeRequest,
  responses: {
    201: { description: 'Captured (or a replay of a capture)', body: chargeAnswer },
    ...JSON_BODY_ANSWERS,
    402: problemAnswer('The card was declined', ['PAYMENT_DECLINED'], paymentRef),
    409: problemAnswer("The order's payment was cancelled; it will never be charged", ['CONFLICT'], {
      ...paymentRef,
      paymentStatus: z
        .enum(['CANCELLED', 'REFUNDED', 'CAPTURED', 'DECLINED'])
        .describe('The payment now: a capture that landed after the cancellation is refunded'),
    }),
    422: problemAnswer(
      'The order was already charged with another amount, currency or user',
      ['IDEMPOTENCY_KEY_REUSED'],
      paymentRef,
    ),
    ...UPSTREAM_ANSWERS,
    ...SERVICE_AUTH_ANSWERS,
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

// ---- POST /internal/payments/cancel | refund ------------------------------------------

export const orderPaymentRequest = z.strictObject({ orderId: z.uuid() });

export const cancelAnswer = z.object({ orderId: z.uuid(), status: z.enum(['CANCELLED', 'REFUNDED']) });

export const cancelPaymentRoute = {
  service: 'payment',
  operationId: 'cancelPayment',
  method: 'post',
  path: '/internal/payments/cancel',
  summary: 'The order will never be charged; a capture that slipped through is refunded',
  description:
    'Idempotent. After a 200 no capture stands for the order and no later charge reaches the provider.',
  callers: ['order'],
  body: orderPaymentRequest,
  responses: {
    200: { description: 'Cancelled, or refunded when a capture had happened', body: cancelAnswer },
    ...JSON_BODY_ANSWERS,
    ...UPSTREAM_ANSWERS,
    ...SERVICE_AUTH_ANSWERS,
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

export const refundAnswer = z.object({ orderId: z.uuid(), status: z.enum(['REFUNDED', 'NONE']) });

export const refundPaymentRoute = {
  service: 'payment',
  operationId: 'refundPayment',
  method: 'post',
  path: '/internal/payments/refund',
  summary: "Refunds the order's capture",
  description: 'Idempotent; `NONE` when the order has no capture to refund.',
  callers: ['order'],
  body: orderPaymentRequest,
  responses: {
    200: { description: 'Refunded, or nothing to refund', body: refundAnswer },
    ...JSON_BODY_ANSWERS,
    ...UPSTREAM_ANSWERS,
    ...SERVICE_AUTH_ANSWERS,
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

export const PAYMENT_INTERNAL_ROUTES = [chargePaymentRoute, cancelPaymentRoute, refundPaymentRoute] as const;
