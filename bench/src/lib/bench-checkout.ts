import { randomUUID } from 'node:crypto';
import type { Customer } from '@surge/stack/chaos';

/** A prepared shop behind a gateway: its customers (signed in) and the products they buy. */
export interface Shop {
  gateway: string;
  customers: Customer[];
  productIds: string[];
}

const ADDRESS = {
  name: 'Bench Buyer',
  line1: '1 Load St',
  city: 'Testville',
  postalCode: '12345',
  country: 'US',
};

/**
 * One checkout of one random product, as a client places it through the gateway (a fresh
 * Idempotency-Key, the provider's test card): what checkout-vs-pgbench and checkout-ab
 * both measure, so their figures stay comparable.
 */
export async function placeCheckout(
  shop: Shop,
  customer: Customer,
): Promise<{ status: number; body: string }> {
  const productId = shop.productIds[Math.floor(Math.random() * shop.productIds.length)]!;
  const res = await fetch(`${shop.gateway}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${customer.token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({
      items: [{ productId, quantity: 1 }],
      shippingAddress: ADDRESS,
      payment: { token: 'tok_visa' },
    }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.text() };
}
