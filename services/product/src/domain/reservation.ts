import type { ReservationStatus } from '@surge/contracts';
import type { Product } from './product';

/** The statuses are the internal API's (packages/contracts, product-api.ts). */
export type { ReservationStatus };

export interface ReservationLineRequest {
  productId: string;
  quantity: number;
}

/** A reserved line, with the price the order charges (the price at reservation time). */
export interface ReservationLine extends ReservationLineRequest {
  priceCents: number;
  currency: string;
}

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  items: ReservationLine[];
}

export type ReserveOutcome =
  | { kind: 'reserved'; reservation: Reservation; changed: Product[] }
  | { kind: 'existing'; reservation: Reservation }
  | { kind: 'unknown-products'; productIds: string[] }
  | { kind: 'insufficient-stock'; productIds: string[] }
  /** Lines priced in more than one currency: their amounts cannot be added up. */
  | { kind: 'currency-mismatch'; currencies: Record<string, string> };

export type CommitOutcome =
  { kind: 'committed' } | { kind: 'not-found' } | { kind: 'conflict'; status: ReservationStatus };

export interface ReleaseOutcome {
  /** NONE: there was no reservation for this order (one can no longer be made either). */
  status: 'RELEASED' | 'RETURNED' | 'NONE';
  changed: Product[];
}

/**
 * One line per product: quantities of repeated products are added up, keeping the order
 * of first appearance (the order the answer lists them in).
 */
export function mergeLines(items: readonly ReservationLineRequest[]): ReservationLineRequest[] {
  const merged = new Map<string, number>();
  for (const item of items) merged.set(item.productId, (merged.get(item.productId) ?? 0) + item.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}
