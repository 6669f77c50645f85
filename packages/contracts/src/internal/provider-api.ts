import { z } from 'zod';
import { listedCurrencyCode } from '../currencies';
import { idempotencyKey } from '../idempotency';
import { amountCents, paymentToken } from './payment-api';
import { COMMON_ANSWERS, JSON_BODY_ANSWERS, problemAnswer, type RouteContract } from './route-contract';

/**
 * The card processor's API as the payment service calls it (docs/internal-apis.md,
 * "Provider simulator"). In real life a third party runs it with credentials of its
 * own: no Surge service token.
 */

export const providerChargeRequest = z.strictObject({
  amountCents,
  currency: listedCurrencyCode,
  token: paymentToken,
});
export type ProviderChargeRequest = z.infer<typeof providerChargeRequest>;

export const providerChargeHeaders = z.object({
  'idempotency-key': idempotencyKey.describe('The same key always means the same charge'),
});

const chargeFields = {
  id: z.uuid().describe('The charge id'),
  amountCents,
  currency: listedCurrencyCode,
  createdAt: z.iso.datetime(),
};

/** The first answer to a key, whatever happened since. */
export const capturedChargeAnswer = z.object({ ...chargeFields, status: z.literal('captured') });
export const declinedChargeAnswer = z.object({ ...chargeFields, status: z.literal('declined') });
export type ProviderChargeAnswer =
  z.infer<typeof capturedChargeAnswer> | z.infer<typeof declinedChargeAnswer>;

export const createChargeRoute = {
  service: 'payment-provider',
  operationId: 'createCharge',
  method: 'post',
  path: '/v1/charges',
  summary: 'Charges a card once per idempotency key',
  description:
    'The same key answers the first answer (201 or 402); the same key with another amount, ' +
    'currency or token is 422.',
  headers: providerChargeHeaders,
  body: providerChargeRequest,
  responses: {
    201: { description: 'Captured (`tok_visa`)', body: capturedChargeAnswer },
    ...JSON_BODY_ANSWERS,
    402: { description: 'Declined (`tok_decline`)', body: declinedChargeAnswer },
    422: problemAnswer('The key was used for a different charge', ['IDEMPOTENCY_KEY_REUSED'], {
      chargeId: z.uuid(),
    }),
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

export const chargeStateParams = z.object({ idempotencyKey });

export const chargeStateAnswer = z.object({
  ...chargeFields,
  idempotencyKey,
  status: z.enum(['captured', 'declined', 'refunded']).describe('As it is now: refunds included'),
  refundId: z.uuid().nullable(),
  refundedAt: z.iso.datetime().nullable(),
});
export type ChargeStateAnswer = z.infer<typeof chargeStateAnswer>;

export const getChargeRoute = {
  service: 'payment-provider',
  operationId: 'getCharge',
  method: 'get',
  path: '/v1/charges/{idempotencyKey}',
  summary: 'The charge made with this key, as it is now',
  description: 'How a caller whose charge answer was lost learns what happened.',
  params: chargeStateParams,
  responses: {
    200: { description: 'The charge', body: chargeStateAnswer },
    400: problemAnswer('Not an idempotency key', ['VALIDATION_FAILED']),
    404: problemAnswer('No charge was made with this key', ['NOT_FOUND']),
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

export const providerRefundRequest = z.strictObject({ chargeId: z.uuid() });

export const providerRefundAnswer = z.object({
  id: z.uuid().describe('The refund id'),
  chargeId: z.uuid(),
  status: z.literal('refunded'),
  amountCents,
  currency: listedCurrencyCode,
  refundedAt: z.iso.datetime(),
});

export const refundChargeRoute = {
  service: 'payment-provider',
  operationId: 'refundCharge',
  method: 'post',
  path: '/v1/refunds',
  summary: 'Refunds a captured charge in full, once',
  description: 'Idempotent: every later call answers the same refund.',
  body: providerRefundRequest,
  responses: {
    200: { description: 'Refunded (now or before)', body: providerRefundAnswer },
    ...JSON_BODY_ANSWERS,
    404: problemAnswer('No such charge', ['NOT_FOUND']),
    409: problemAnswer('A declined charge took no money: nothing to refund', ['CONFLICT'], {
      chargeId: z.uuid(),
      chargeStatus: z.literal('declined'),
    }),
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

export const PROVIDER_ROUTES = [createChargeRoute, getChargeRoute, refundChargeRoute] as const;
