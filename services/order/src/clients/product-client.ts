import {
  commitReservationRoute,
  lookupProductsRoute,
  releaseReservationRoute,
  reserveStockRoute,
} from '@surge/contracts';
import { DependencyError } from '@surge/errors';
import { callRoute, type ServiceCaller } from '@surge/http-client';
import type { Inventory, ReserveResult } from '../domain/ports';

const PRODUCT = 'product';

/**
 * The product service's internal API, read against its contract
 * (packages/contracts/src/internal/product-api.ts): every answer is parsed, and one
 * outside the contract is an UpstreamContractError, a DependencyError like a timeout.
 * Every call is idempotent (by order id, or a read), so the client may retry each one,
 * and the saga treats a reservation whose answer it could not read as one that may
 * exist: it releases it (see place-order.ts).
 */
export function createProductClient(client: ServiceCaller): Inventory {
  const unexpected = (what: string, status: number) =>
    new DependencyError(PRODUCT, `${what} answered ${status}`);
  return {
    async lookup(ids) {
      if (ids.length === 0) return [];
      const res = await callRoute(client, PRODUCT, lookupProductsRoute, {
        body: { ids },
        idempotent: true, // a read
      });
      if (res.status !== 200) throw unexpected('product lookup', res.status);
      return res.body.items;
    },

    async reserve(orderId, items): Promise<ReserveResult> {
      const res = await callRoute(client, PRODUCT, reserveStockRoute, {
        body: { orderId, items },
        idempotent: true, // keyed by the order id: a repeat answers the stored reservation
      });
      switch (res.status) {
        case 201: {
          // The contract guarantees at least one line and one currency for all of them
          // (lines in two currencies are a 409, never a reservation).
          const [first] = res.body.items;
          return {
            kind: 'reserved',
            items: res.body.items.map(({ productId, quantity, priceCents }) => ({
              productId,
              quantity,
              priceCents,
            })),
            currency: first!.currency,
          };
        }
        case 200:
          // A repeat for a reservation that is no longer RESERVED: not ours to use.
          throw new DependencyError(PRODUCT, `reservation of ${orderId} is ${res.body.status}`);
        case 404:
          return { kind: 'unknown-products', productIds: res.body.productIds };
        case 409:
          return res.body.code === 'CURRENCY_MISMATCH'
            ? { kind: 'currency-mismatch', currencies: res.body.currencies }
            : { kind: 'insufficient-stock', productIds: res.body.productIds };
        default:
          throw unexpected('reservation', res.status);
      }
    },

    async commit(orderId) {
      const res = await callRoute(client, PRODUCT, commitReservationRoute, {
        params: { orderId },
        idempotent: true,
      });
      if (res.status !== 200) throw unexpected('commit', res.status);
    },

    async release(orderId) {
      const res = await callRoute(client, PRODUCT, releaseReservationRoute, {
        params: { orderId },
        idempotent: true,
      });
      if (res.status !== 200) throw unexpected('release', res.status);
    },
  };
}
