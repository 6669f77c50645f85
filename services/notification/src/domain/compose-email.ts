import { formatMinorUnits, type EventData } from '@surge/contracts';
import type { CloudEvent } from '@surge/messaging';
import type { Contact, NotificationType } from './notification';

export interface ComposedEmail {
  subject: string;
  body: string;
  /** The aggregate whose version identifies the fact (user, order or payment id). */
  aggregateId: string;
}

type Template<T extends NotificationType> = (data: EventData<T>, to: Contact) => ComposedEmail;

/**
 * An amount in the currency's minor unit as "12.34 USD", "4500 JPY" or "1.250 KWD":
 * exact, the same in every locale, and with the decimals ISO 4217 gives the currency
 * (the shared list in @surge/contracts), never an assumed two.
 */
export function formatMoney(amount: number, currency: string): string {
  return formatMinorUnits(amount, currency);
}

/** First block of a UUID: enough to tell orders apart in a subject line. */
const short = (id: string): string => id.slice(0, 8);

const sign = '\n\n-- \nSurge';

const templates: { [T in NotificationType]: Template<T> } = {
  'user.registered': (data, to) => ({
    aggregateId: data.userId,
    subject: `Welcome to Surge, ${to.name}`,
    body: `Hi ${to.name},\n\nwelcome to Surge! Your account ${data.email} is ready.${sign}`,
  }),
  'order.paid': (data, to) => ({
    aggregateId: data.orderId,
    subject: `Your Surge receipt for order ${short(data.orderId)}`,
    body:
      `Hi ${to.name},\n\nthank you for your order. We received your payment.\n\n` +
      `Order:   ${data.orderId}\nPayment: ${data.paymentId}\nTotal:   ${formatMoney(data.totalCents, data.currency)}${sign}`,
  }),
  'order.cancelled': (data, to) => ({
    aggregateId: data.orderId,
    subject: `Your Surge order ${short(data.orderId)} was cancelled`,
    body:
      `Hi ${to.name},\n\nyour order ${data.orderId} (${formatMoney(data.totalCents, data.currency)}) was cancelled ` +
      `(${data.reason}). If you were charged, a refund follows in a separate email.${sign}`,
  }),
  'payment.refunded': (data, to) => ({
    aggregateId: data.paymentId,
    subject: `Your refund for order ${short(data.orderId)}`,
    body:
      `Hi ${to.name},\n\nwe refunded ${formatMoney(data.amountCents, data.currency)} for order ${data.orderId}. ` +
      `It can take a few days to show on your statement.${sign}`,
  }),
};

/** The email for an event, addressed to `to`. Pure: no I/O, so retries render the same text. */
export function composeEmail<T extends NotificationType>(event: CloudEvent<T>, to: Contact): ComposedEmail {
  const template = templates[event.type] as Template<T>;
  return template(event.data, to);
}

/** The user an event is about: who gets the email. */
export function recipientOf(event: CloudEvent<NotificationType>): string {
  return event.data.userId;
}
