import { randomUUID } from 'node:crypto';

/**
 * The records the service-reads benchmark seeds before it reads them back, built here as
 * plain data so that their shape is tested without a database. They are handed to each
 * service's own repository (never raw SQL), so every invariant the repository keeps (the
 * outbox row beside the order, the unique order id of a payment, the dedupe key of a
 * notification) holds for them as for any other.
 */

/** One line, one product: what a shopper's commonest order looks like. */
export function benchOrder(userId: string, now: Date) {
  const productId = randomUUID();
  const quantity = 2;
  const priceCents = 1299;
  return {
    id: randomUUID(),
    userId,
    items: [{ productId, quantity, priceCents }],
    totalCents: quantity * priceCents,
    currency: 'USD',
    shippingAddress: {
      name: 'Bench Shopper',
      line1: '1 Benchmark Street',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
    paymentToken: 'tok_visa',
    // The service's recovery worker is off in this benchmark (it would charge the order
    // against a payment service that is not there); a deadline an hour away keeps the order
    // as a checkout in progress would leave it, whatever else reads the database.
    paymentDeadline: new Date(now.getTime() + 3_600_000),
    firstAttemptAt: new Date(now.getTime() + 3_600_000),
  };
}

/** The payment intent of an order, as the order service's charge call records it first. */
export function benchPaymentIntent(userId: string, orderId: string) {
  return { id: randomUUID(), orderId, terms: { userId, amountCents: 2598, currency: 'USD' } };
}

/**
 * `count` notifications of a user, as the event consumer writes them: one per fact, each
 * with the dedupe key `<type>:<aggregate id>:<version>` and its own event id. The first is
 * the welcome email, the others order receipts.
 */
export function benchNotifications(userId: string, email: string, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const welcome = i === 0;
    const aggregate = welcome ? userId : randomUUID();
    const type = welcome ? ('user.registered' as const) : ('order.paid' as const);
    return {
      id: randomUUID(),
      userId,
      type,
      recipient: email,
      subject: welcome ? 'Welcome to Surge' : `Your order ${aggregate.slice(0, 8)} is paid`,
      body: welcome ? 'Thanks for signing up.' : 'We have received your payment; your order is on its way.',
      eventId: randomUUID(),
      dedupeKey: `${type}:${aggregate}:1`,
    };
  });
}
