import { appendToOutbox } from '@surge/messaging';
import type { Queryable } from '@surge/postgres';
import type { Payment, PaymentEvent } from '../domain/payment';

/**
 * Writes a transition's events into the outbox, in the caller's transaction: an event
 * exists if and only if its change committed. Keyed by payment id, so one payment's
 * events keep their order on the `payments` topic.
 */
export async function appendPaymentEvents(
  tx: Queryable,
  payment: Payment,
  events: PaymentEvent[],
  source: string,
): Promise<void> {
  if (events.length === 0) return;
  // Only payments that reached the provider have events, and those always have terms.
  if (!payment.terms) throw new Error(`payment ${payment.id} has events but no charge terms`);
  const base = {
    paymentId: payment.id,
    orderId: payment.orderId,
    userId: payment.terms.userId,
    amountCents: payment.terms.amountCents,
    currency: payment.terms.currency,
  };
  for (const event of events) {
    const common = { source, subject: payment.id };
    if (event.type === 'payment.declined') {
      await appendToOutbox(tx, {
        ...common,
        type: event.type,
        data: { ...base, reason: 'card_declined', version: event.version },
      });
    } else {
      await appendToOutbox(tx, { ...common, type: event.type, data: { ...base, version: event.version } });
    }
  }
}
