import { createChargeRoute, getChargeRoute, refundChargeRoute } from '@surge/contracts';
import { ConflictError, DependencyError, ValidationError } from '@surge/errors';
import { callRoute, type ServiceCaller } from '@surge/http-client';
import type { ProviderGateway } from '../domain/ports';

const PROVIDER = 'payment-provider';

/**
 * The card processor's API as the payment domain needs it, read against its contract
 * (packages/contracts/src/internal/provider-api.ts). The line between definite and
 * unknown answers is drawn here: 201/402 are definite; 400 and 422 mean the request was
 * refused before any charge; everything else (5xx, a timeout, a refused or dropped
 * connection, an answer outside the contract) is a DependencyError: the charge may or
 * may not exist.
 *
 * An answer that does not parse is an UpstreamContractError, never a guess: a 201 we
 * cannot read may still be a capture, so it must not be recorded as declined (the order
 * would be cancelled with the money taken) nor as captured (with an id we do not have).
 * As an unknown outcome the payment stays PENDING, the caller retries with the same
 * key, and the reconciler asks the provider (GET /v1/charges/{key}). Invariant
 * protected: what the payment service records is what the provider did, and a card is
 * charged at most once.
 */
export function createProviderClient(client: ServiceCaller): ProviderGateway {
  return {
    async charge(request) {
      const res = await callRoute(client, PROVIDER, createChargeRoute, {
        headers: { 'idempotency-key': request.orderId },
        body: { amountCents: request.amountCents, currency: request.currency, token: request.token },
      });
      switch (res.status) {
        case 201:
        case 402:
          return { chargeId: res.body.id, status: res.body.status };
        case 400:
          throw new ValidationError(
            'The payment provider refused the request',
            res.body.errors && res.body.errors.length > 0
              ? res.body.errors
              : [{ path: 'token', message: 'not accepted by the provider' }],
          );
        case 422:
          throw new ConflictError(
            'IDEMPOTENCY_KEY_REUSED',
            'This order was already sent to the provider with a different amount, currency or token',
          );
        default:
          throw unexpected(res.status);
      }
    },

    async findCharge(orderId) {
      const res = await callRoute(client, PROVIDER, getChargeRoute, { params: { idempotencyKey: orderId } });
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw unexpected(res.status);
      return { chargeId: res.body.id, status: res.body.status };
    },

    async refund(chargeId) {
      const res = await callRoute(client, PROVIDER, refundChargeRoute, { body: { chargeId } });
      if (res.status !== 200) throw unexpected(res.status);
    },
  };
}

function unexpected(status: number): DependencyError {
  return new DependencyError(PROVIDER, `${PROVIDER} answered ${status}`);
}
