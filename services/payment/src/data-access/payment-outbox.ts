import { appendToOutbox, prepareOutboxRow, type OutboxInput, type OutboxRow } from '@surge/messaging';
import type { Queryable } from '@surge/postgres';
import type { Payment, PaymentEvent, PaymentEventType } from '../domain/payment';

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
  for (const input of paymentEventInputs(payment, events, source)) await appendToOutbox(tx, input);
}

/** The same events as outbox rows, for a statement that writes them with the change (outboxInsert). */
export function paymentEventRows(payment: Payment, events: PaymentEvent[], source: string): OutboxRow[] {
  return paymentEventInputs(payment, events, source).map((input) => prepareOutboxRow(input));
}

function paymentEventInputs(
  payment: Payment,
  events: PaymentEvent[],
  source: string,
): Array<OutboxInput<PaymentEventType>> {
  if (events.length === 0) return [];
  // Only payments that reached the provider have events, and those always have terms.
  if (!payment.terms) throw new Error(`payment ${payment.id} has events but no charge terms`);
  const base = {
    paymentId: payment.id,
    orderId: payment.orderId,
    userId: payment.terms.userId,
    amountCents: payment.terms.amountCents,
    currency: payment.terms.currency,
  };
  return events.map((event): OutboxInput<PaymentEventType> => {
    const common = { source, subject: payment.id };
    return event.type === 'payment.declined'
      ? { ...common, type: event.type, data: { ...base, reason: 'card_declined', version: event.version } }
      : { ...common, type: event.type, data: { ...base, version: event.version } };
  });
}
