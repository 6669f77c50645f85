import { DependencyError } from '@surge/errors';
import type { ServiceCaller } from '@surge/http-client';
import type { Inventory, ProductInfo, ReserveResult } from '../domain/ports';

/** A reservation (201/200) or a problem document (409/404), as the product service answers. */
interface ReservationAnswer {
  status?: string;
  items?: Array<{ productId: string; quantity: number; priceCents: number; currency: string }>;
  code?: string;
  productIds?: string[];
  currencies?: Record<string, string>;
}

/**
 * The product service's internal API (docs/internal-apis.md). Every call is idempotent
 * (by order id, or a read), so the client may retry each one.
 */
export function createProductClient(client: ServiceCaller): Inventory {
  const unexpected = (what: string, status: number) =>
    new DependencyError('product', `${what} answered ${status}`);
  return {
    async lookup(ids) {
      if (ids.length === 0) return [];
      const res = await client.call<{ items: ProductInfo[] }>({
        method: 'POST',
        path: '/internal/products/lookup',
        body: { ids },
        idempotent: true, // a read
      });
      if (res.status !== 200) throw unexpected('product lookup', res.status);
      return res.body.items;
    },

    async reserve(orderId, items): Promise<ReserveResult> {
      const res = await client.call<ReservationAnswer>({
        method: 'POST',
        path: '/internal/reservations',
        body: { orderId, items },
        idempotent: true, // keyed by the order id: a repeat answers the stored reservation
      });
      const body = res.body;
      if (res.status === 201 || res.status === 200) {
        // 200 is a repeat for a reservation that is no longer RESERVED: not ours to use.
        if (body.status !== 'RESERVED' || !body.items?.[0])
          throw new DependencyError('product', `reservation of ${orderId} is ${body.status}`);
        // The total adds the lines up: one currency, or none of it (the saga releases).
        const currencies = new Set(body.items.map((line) => line.currency));
        if (currencies.size > 1)
          return {
            kind: 'currency-mismatch',
            currencies: Object.fromEntries(body.items.map((line) => [line.productId, line.currency])),
          };
        return {
          kind: 'reserved',
          items: body.items.map(({ productId, quantity, priceCents }) => ({
            productId,
            quantity,
            priceCents,
          })),
          currency: body.items[0].currency,
        };
      }
      const productIds = body.productIds ?? [];
      if (res.status === 409 && body.code === 'CURRENCY_MISMATCH')
        return { kind: 'currency-mismatch', currencies: body.currencies ?? {} };
      if (res.status === 409 && body.code === 'INSUFFICIENT_STOCK')
        return { kind: 'insufficient-stock', productIds };
      if (res.status === 404) return { kind: 'unknown-products', productIds };
      throw unexpected('reservation', res.status);
    },

    async commit(orderId) {
      const res = await client.call({
        method: 'POST',
        path: `/internal/reservations/${orderId}/commit`,
        idempotent: true,
      });
      if (res.status !== 200) throw unexpected('commit', res.status);
    },

    async release(orderId) {
      const res = await client.call({
        method: 'POST',
        path: `/internal/reservations/${orderId}/release`,
        idempotent: true,
      });
      if (res.status !== 200) throw unexpected('release', res.status);
    },
  };
}
