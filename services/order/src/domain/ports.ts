import { DependencyError } from '@surge/errors';
import type { CheckoutOutcome } from './checkout-outcome';
import type { Order, OrderLine, OrderStatus, ShippingAddress, StockState } from './order';

/**
 * What the use cases need from the outside world; data-access and clients implement
 * these. The domain knows no express, pg, ioredis or undici.
 */

// ---- other services -------------------------------------------------------------

export interface ProductInfo {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}

export type ReserveResult =
  | { kind: 'reserved'; items: OrderLine[]; currency: string }
  | { kind: 'insufficient-stock'; productIds: string[] }
  | { kind: 'unknown-products'; productIds: string[] }
  | { kind: 'currency-mismatch'; currencies: Record<string, string> };

/** The product service's catalog lookup and inventory reservations (docs/internal-apis.md). */
export interface Inventory {
  lookup(ids: string[]): Promise<ProductInfo[]>;
  reserve(orderId: string, items: Array<{ productId: string; quantity: number }>): Promise<ReserveResult>;
  commit(orderId: string): Promise<void>;
  /** RESERVED → RELEASED, COMMITTED → RETURNED; unknown order ids are fine. */
  release(orderId: string): Promise<void>;
}

/**
 * A charge's outcome. `unknown` means the payment service gave no definite answer
 * (down, slow, breaker open): the charge may or may not have happened, and only a retry
 * with the same idempotency key can tell.
 */
export type ChargeOutcome =
  | { kind: 'captured'; paymentId: string }
  | { kind: 'declined' }
  | { kind: 'rejected'; detail: string }
  | { kind: 'cancelled' }
  | { kind: 'unknown'; reason: string };

export interface Payments {
  charge(input: {
    orderId: string;
    userId: string;
    amountCents: number;
    currency: string;
    token: string;
  }): Promise<ChargeOutcome>;
  /** The order will never be charged; a capture that slipped through is refunded. */
  cancel(orderId: string): Promise<void>;
  refund(orderId: string): Promise<void>;
}

// ---- own state ------------------------------------------------------------------

export interface NewOrder {
  id: string;
  userId: string;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  paymentToken: string;
  paymentDeadline: Date;
  /** The worker leaves the order to the request that creates it until then. */
  firstAttemptAt: Date;
}

export type CheckoutClaim =
  | { kind: 'new'; orderId: string }
  | { kind: 'replay'; outcome: CheckoutOutcome }
  | { kind: 'in-progress' }
  | { kind: 'key-reused' };

export interface CheckoutRequest {
  userId: string;
  key: string;
  requestHash: string;
  orderId: string;
  request: Record<string, unknown>;
}

/** A state change of one order, applied only if the order is still in `from`. */
export interface Transition {
  orderId: string;
  from: OrderStatus[];
  to: OrderStatus;
  changes?: {
    paymentId?: string;
    cancelReason?: string;
    stockState?: StockState;
    paymentCancelPending?: boolean;
    refundPending?: boolean;
    nextAttemptAt?: Date;
    countAttempt?: boolean;
  };
  /** The event that announces the new state, written to the outbox in the same transaction. */
  event?: 'order.paid' | 'order.cancelled';
  /** Completes the checkout request of this order (if still in progress) with this answer. */
  outcome?: (order: Order) => CheckoutOutcome;
  /** Told the answer once this transition stored it (committed): the checkout need not read it back. */
  answered?: (outcome: CheckoutOutcome) => void;
  /**
   * The order as the caller last wrote it. While the row still holds exactly that, the
   * transition is one statement; otherwise the store reads the row under its lock.
   */
  known?: Order;
}

/**
 * Where an order sits in its owner's list: its exact `created_at` (ISO 8601 UTC with the
 * microseconds Postgres keeps, which a Date would cut) and its id.
 */
export interface ListPosition {
  createdAt: string;
  id: string;
}

export interface OrderStore {
  /**
   * What an earlier request with this (user, key) already settled, without claiming
   * anything: undefined when the key is new. Read before any mutable state (the cart).
   */
  findCheckout(
    request: Pick<CheckoutRequest, 'userId' | 'key' | 'requestHash'>,
  ): Promise<Exclude<CheckoutClaim, { kind: 'new' }> | undefined>;
  /** Claims (user, key) before any side effect; see CheckoutClaim. */
  claimCheckout(request: CheckoutRequest, leaseSeconds: number): Promise<CheckoutClaim>;
  /** Answers a checkout that ended before an order existed (e.g. insufficient stock). */
  completeCheckout(orderId: string, outcome: CheckoutOutcome): Promise<void>;
  /** The stored answer of the checkout that created this order, once it has one. */
  findCheckoutOutcome(orderId: string): Promise<CheckoutOutcome | undefined>;
  /** Forgets a checkout that never produced an order or an answer, so the key can be retried. */
  abandonCheckout(orderId: string): Promise<void>;
  /** Inserts the order as PENDING with its `order.created` event, in one transaction. */
  createOrder(order: NewOrder): Promise<Order>;
  /** Applies the transition if the order is still in one of `from`; undefined otherwise. */
  transition(transition: Transition): Promise<Order | undefined>;
  /** Saga bookkeeping that changes no status: stock state and compensation flags. */
  markFollowUp(
    orderId: string,
    changes: { stockState?: StockState; paymentCancelPending?: boolean; refundPending?: boolean },
  ): Promise<void>;
  findById(id: string): Promise<Order | undefined>;
  /** Newest first, after a keyset position (see ListPosition). */
  listByUser(
    userId: string,
    limit: number,
    after?: ListPosition,
  ): Promise<Array<{ order: Order; position: ListPosition }>>;
  /** Leases up to `limit` orders with work left whose time has come (one worker each). */
  claimOrdersNeedingWork(limit: number, leaseSeconds: number): Promise<Order[]>;
  /** Leases checkouts whose request died before creating the order. */
  claimAbandonedCheckouts(limit: number, leaseSeconds: number): Promise<string[]>;
}

export interface CartStore {
  get(userId: string): Promise<Map<string, number>>;
  set(userId: string, productId: string, quantity: number): Promise<void>;
  remove(userId: string, productId: string): Promise<void>;
  clear(userId: string): Promise<void>;
}

/**
 * createOrder failed before anything could be committed (the database could not be
 * reached): no order row exists, so what was done for it elsewhere may be undone.
 */
export class OrderNotWrittenError extends DependencyError {
  constructor(cause: unknown) {
    super('postgres', 'The order could not be written; retry shortly', { cause, retryAfterSeconds: 1 });
  }
}
