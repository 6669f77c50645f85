import { cancelPaymentRoute, chargePaymentRoute, refundPaymentRoute } from '@surge/contracts';
import { DependencyError } from '@surge/errors';
import { callRoute, type ServiceCaller } from '@surge/http-client';
import type { ChargeOutcome, Payments } from '../domain/ports';

const PAYMENT = 'payment';

/**
 * The payment service's internal API, read against its contract
 * (packages/contracts/src/internal/payment-api.ts). Only an answer that parses is a
 * definite outcome: captured (201), declined (402), rejected (400), cancelled (409).
 * Anything else is `unknown`: timeouts, 5xx, refused connections, an open breaker, and
 * an answer outside the contract (an UpstreamContractError).
 *
 * Why a broken answer is `unknown`, never a decline: the charge may have happened (a
 * 201 whose body we cannot read is still a capture). Reading it as a decline would
 * cancel an order whose card was charged; as `unknown`, the saga keeps the order
 * PAYMENT_PENDING and the recovery worker charges again with the same idempotency key,
 * which cannot capture twice and answers what happened. Invariant protected: a card is
 * charged at most once, and an order is never cancelled on a guess about its payment.
 *
 * Every call is idempotent by order id, so the client may retry each one.
 */
export function createPaymentClient(client: ServiceCaller): Payments {
  return {
    async charge(input): Promise<ChargeOutcome> {
      try {
        const res = await callRoute(client, PAYMENT, chargePaymentRoute, {
          headers: { 'idempotency-key': input.orderId },
          body: input,
          idempotent: true, // the payment service and the provider dedupe on the key
        });
        switch (res.status) {
          case 201:
            return { kind: 'captured', paymentId: res.body.id };
          case 402:
            return { kind: 'declined' };
          case 400:
            return { kind: 'rejected', detail: res.body.detail };
          case 409:
            return { kind: 'cancelled' };
          default:
            return { kind: 'unknown', reason: `payment answered ${res.status}` };
        }
      } catch (error) {
        if (error instanceof DependencyError) return { kind: 'unknown', reason: error.message };
        throw error;
      }
    },

    async cancel(orderId) {
      const res = await callRoute(client, PAYMENT, cancelPaymentRoute, {
        body: { orderId },
        idempotent: true,
      });
      if (res.status !== 200) throw new DependencyError(PAYMENT, `payment cancel answered ${res.status}`);
    },

    async refund(orderId) {
      const res = await callRoute(client, PAYMENT, refundPaymentRoute, {
        body: { orderId },
        idempotent: true,
      });
      if (res.status !== 200) throw new DependencyError(PAYMENT, `payment refund answered ${res.status}`);
    },
  };
}
