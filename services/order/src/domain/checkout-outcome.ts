import type { OrderView } from './order';

/**
 * How a checkout ended, as stored with its idempotency record: a replay of the same key
 * maps the same outcome to the same HTTP answer (docs/api-contract.md, POST /api/orders).
 */
export type CheckoutOutcome =
  | { kind: 'paid'; order: OrderView }
  | { kind: 'payment-pending'; order: OrderView }
  /** The payment deadline passed before any answer reached the client (crash recovery). */
  | { kind: 'cancelled'; order: OrderView }
  | { kind: 'declined'; orderId: string }
  | { kind: 'rejected'; orderId: string; detail: string }
  | { kind: 'insufficient-stock'; productIds: string[] }
  | { kind: 'unknown-products'; productIds: string[] }
  /** The lines are priced in more than one currency (product id -> currency): nothing reserved or charged. */
  | { kind: 'currency-mismatch'; currencies: Record<string, string> };
