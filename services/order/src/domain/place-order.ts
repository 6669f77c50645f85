import { randomUUID } from 'node:crypto';
import { AppError, ConflictError, DependencyError } from '@surge/errors';
import { addEvent, setSpanAttributes, withSpan } from '@surge/telemetry';
import type { CheckoutOutcome } from './checkout-outcome';
import { totalOf, type ShippingAddress } from './order';
import { OrderNotWrittenError, type CartStore, type CheckoutClaim } from './ports';
import { hashRequest } from './request-hash';
import { nowOf, type SagaDeps } from './saga-deps';
import { errorLabel, outcomeLabel, SagaAttributes as A, type CheckoutOutcomeLabel } from './saga-telemetry';
import { settlePayment } from './settle-payment';

export interface PlaceOrderInput {
  userId: string;
  idempotencyKey: string;
  /** The body as the client sent it: what "the same request" means for the key. */
  body: {
    items?: Array<{ productId: string; quantity: number }>;
    shippingAddress: ShippingAddress;
    payment: { token: string };
  };
}

/**
 * Checkout, as an orchestrated saga (docs/checkout-saga.md), inside a
 * `checkout.place-order` span with a child span per step; every request counts once in
 * `checkout_outcomes_total` with how it ended (saga-telemetry.ts).
 */
export async function placeOrder(
  deps: SagaDeps & { cart: CartStore },
  input: PlaceOrderInput,
): Promise<CheckoutOutcome> {
  return withSpan('checkout.place-order', { [A.userId]: input.userId }, async () => {
    const ended = (label: CheckoutOutcomeLabel) => {
      setSpanAttributes({ [A.outcome]: label });
      deps.metrics.checkoutEnded(label);
    };
    try {
      const { outcome, replayed } = await checkout(deps, input);
      setSpanAttributes({ [A.replayed]: replayed });
      ended(replayed ? 'replayed' : outcomeLabel(outcome));
      return outcome;
    } catch (error) {
      ended(errorLabel(error));
      throw error;
    }
  });
}

/** The saga's steps. Each says which invariant it protects and what happens if the process dies right after it. */
async function checkout(
  deps: SagaDeps & { cart: CartStore },
  input: PlaceOrderInput,
): Promise<{ outcome: CheckoutOutcome; replayed: boolean }> {
  const { store, payments, policy } = deps;
  const requestHash = hashRequest(input.body);
  const key = { userId: input.userId, key: input.idempotencyKey, requestHash };

  // 0. A checkout from the cart reads the cart, which the first request with this key
  //    emptied (or the customer has refilled since): the key is looked up first, so a
  //    replay answers what the first request did, whatever the cart holds now.
  //    Protects: one key = one answer. A body with items depends on no mutable state
  //    before step 1, whose claim is that lookup.
  const fromCart = input.body.items === undefined;
  if (fromCart) {
    const earlier = await store.findCheckout(key);
    if (earlier) return answerEarlier(earlier);
  }
  const items = input.body.items ?? (await cartItems(deps.cart, input.userId));
  if (items.length === 0) {
    // A concurrent first request with this key may have claimed, paid and emptied the
    // cart between the lookup and the read: its claim is durable before the cart is
    // cleared, so a second look tells a replay from a cart that really is empty.
    const earlier = fromCart ? await store.findCheckout(key) : undefined;
    if (earlier) return answerEarlier(earlier);
    // 409, not 400: the request is well formed (a body without `items` orders the cart);
    // the cart's state is what makes it impossible, and filling it makes the same request good.
    throw new ConflictError('CONFLICT', 'The cart is empty: nothing to order');
  }

  // 1. Idempotency record, durable before any side effect, with the order id chosen now.
  //    Protects: one key = at most one order; a replay answers what the first request did.
  //    Dies after: the lease expires and the worker releases any reservation of this order
  //    id and forgets the key, so the client's retry starts over cleanly.
  const claim = await store.claimCheckout(
    { ...key, orderId: randomUUID(), request: { items } },
    policy.leaseSeconds,
  );
  if (claim.kind !== 'new') return answerEarlier(claim);
  addEvent('checkout.idempotency', { [A.idempotency]: claim.kind });
  const orderId = claim.orderId;
  setSpanAttributes({ [A.orderId]: orderId, [A.itemCount]: items.length });
  const step = { [A.orderId]: orderId };

  // 2. Reserve all items or none (product service, idempotent by order id), in one
  //    currency. Protects: stock never oversold; insufficient stock, or lines priced in
  //    two currencies (whose total would add yen to cents), end here with nothing charged.
  //    Dies after: as in 1: the worker releases the reservation after the lease.
  const reservation = await withSpan(
    'checkout.reserve',
    { ...step, [A.itemCount]: items.length },
    async () => {
      const reserved = await reserveOrForget(deps, orderId, items);
      setSpanAttributes({ [A.reservation]: reserved.kind });
      return reserved;
    },
  );
  if (reservation.kind !== 'reserved') {
    // Each of these answers means nothing was reserved (the contract's 404 and 409). A
    // reservation answer with lines in two currencies breaks the contract: the client
    // throws UPSTREAM_CONTRACT_VIOLATION and reserveOrForget releases it like any other
    // reservation whose answer could not be read, so the stock is never held.
    const outcome: CheckoutOutcome =
      reservation.kind === 'currency-mismatch'
        ? { kind: reservation.kind, currencies: reservation.currencies }
        : { kind: reservation.kind, productIds: reservation.productIds };
    await store.completeCheckout(orderId, outcome);
    return { outcome, replayed: false };
  }

  // 3. Order PENDING and `order.created` in one transaction, at the reserved prices.
  //    Protects: an order exists iff it was announced. Dies after: the worker charges the
  //    order once the lease expires (same idempotency key at the payment service).
  //    Fails (the database cannot be reached, a partition): see createOrderOrRelease.
  const now = nowOf(deps);
  const order = await withSpan('checkout.create-order', step, () =>
    createOrderOrRelease(deps, orderId, {
      id: orderId,
      userId: input.userId,
      items: reservation.items,
      totalCents: totalOf(reservation.items),
      currency: reservation.currency,
      shippingAddress: input.body.shippingAddress,
      paymentToken: input.body.payment.token,
      paymentDeadline: new Date(now.getTime() + policy.paymentDeadlineSeconds * 1000),
      firstAttemptAt: new Date(now.getTime() + policy.leaseSeconds * 1000),
    }),
  );

  // 4. Charge with the order id as the idempotency key: at most one capture per order,
  //    however often this is retried. Dies after: the worker retries the same charge.
  const outcome = await withSpan('checkout.charge', { ...step, [A.paymentAttempt]: 1 }, async () => {
    const charged = await payments.charge({
      orderId,
      userId: input.userId,
      amountCents: order.totalCents,
      currency: order.currency,
      token: input.body.payment.token,
    });
    setSpanAttributes({ [A.paymentOutcome]: charged.kind });
    return charged;
  });

  // 5. Settle: PAID + commit, CANCELLED + release, or PAYMENT_PENDING for the worker (6).
  //    The answer is the one stored with the order's new status (one key = one answer):
  //    known at once when this request's transition stored it, read back when another
  //    writer (the worker, a cancellation) settled the order first.
  let answer: CheckoutOutcome | undefined;
  const settled = await withSpan(
    'checkout.settle',
    { ...step, [A.paymentOutcome]: outcome.kind },
    async () => {
      const next = await settlePayment(deps, order, outcome, (stored) => (answer = stored));
      setSpanAttributes({ [A.orderStatus]: next.status });
      return next;
    },
  );
  const final = answer ?? (await store.findCheckoutOutcome(orderId));
  if (fromCart && (settled.status === 'PAID' || settled.status === 'PAYMENT_PENDING')) {
    await deps.cart
      .clear(input.userId)
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not empty the cart'));
  }
  if (!final) throw new Error(`checkout of order ${orderId} ended without an outcome`);
  return { outcome: final, replayed: false };
}

/**
 * The answer an earlier request with the same key settles: its stored outcome, "still in
 * progress" (409 with Retry-After: the first request is at most a lease away from an
 * answer), or the key reused for another body (422).
 */
function answerEarlier(earlier: Exclude<CheckoutClaim, { kind: 'new' }>): {
  outcome: CheckoutOutcome;
  replayed: boolean;
} {
  addEvent('checkout.idempotency', { [A.idempotency]: earlier.kind });
  switch (earlier.kind) {
    case 'replay':
      return { outcome: earlier.outcome, replayed: true };
    case 'in-progress':
      throw new ConflictError(
        'REQUEST_IN_PROGRESS',
        'A request with this Idempotency-Key is still in progress',
        {
          retryAfterSeconds: 1,
        },
      );
    case 'key-reused':
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request body',
      );
  }
}

/**
 * Writes the order. If the database could not be reached before anything was committed
 * (OrderNotWrittenError), the stock just reserved is held for an order that does not
 * exist. Protects: stock is held only for orders that exist. The product service can
 * still be reached when only the order database cannot (a partition), so the reservation
 * is released at once (idempotent) instead of staying unsellable until the lease expires
 * and the worker, which needs that same database, gets to it; the key is forgotten too if
 * the database answers again, else the worker does it after the lease. Any other failure
 * (above all a COMMIT whose answer was lost: the order may exist) is left to the worker,
 * which reads the database before it releases anything.
 */
async function createOrderOrRelease(
  deps: SagaDeps,
  orderId: string,
  draft: Parameters<SagaDeps['store']['createOrder']>[0],
) {
  try {
    return await deps.store.createOrder(draft);
  } catch (error) {
    if (!(error instanceof OrderNotWrittenError)) throw error;
    const leftToWorker = (cleanup: unknown) =>
      deps.logger.warn({ err: cleanup, orderId }, 'left the checkout to the recovery worker');
    try {
      await deps.inventory.release(orderId);
    } catch (cleanup) {
      leftToWorker(cleanup);
      throw error;
    }
    // Not awaited: the database that just failed may take its whole timeout again, and the
    // client's 503 must not wait for it (the caller's budget); the worker covers a failure.
    void deps.store.abandonCheckout(orderId).catch(leftToWorker);
    throw error;
  }
}

async function cartItems(
  cart: CartStore,
  userId: string,
): Promise<Array<{ productId: string; quantity: number }>> {
  const lines = await cart.get(userId);
  return [...lines].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * A reservation whose answer did not arrive, or arrived outside the contract
 * (UPSTREAM_CONTRACT_VIOLATION: a DependencyError too), may or may not exist. Release it
 * (safe if it never happened) and forget the key so the client can retry; if even that
 * fails, the worker does it when the lease expires. Protects: stock is held only for
 * orders that exist.
 */
async function reserveOrForget(
  deps: SagaDeps,
  orderId: string,
  items: Array<{ productId: string; quantity: number }>,
) {
  try {
    return await deps.inventory.reserve(orderId, items);
  } catch (error) {
    if (error instanceof DependencyError) {
      try {
        await deps.inventory.release(orderId);
        await deps.store.abandonCheckout(orderId);
      } catch {
        // Left to the worker.
      }
    }
    throw error;
  }
}
