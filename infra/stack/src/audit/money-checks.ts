import type { AuditDatabases, InvariantResult } from './audit-types';

export interface OrderMoney {
  id: string;
  status: string;
  total_cents: string;
  currency: string;
}
/** What the provider holds per idempotency key (= order id), one row per currency. */
export interface HeldMoney {
  key: string;
  currency: string;
  captures: string;
  amount: string;
}
export interface PaymentMoney {
  order_id: string;
  status: string;
  amount_cents: string | null;
  currency: string | null;
}

/**
 * The headline: no card charged twice, no money without an order. The provider's own
 * ledger is the ground truth of money taken: for every order, the amount captured and
 * not refunded at the provider is the order's total, in the order's currency, if it is
 * PAID, and zero otherwise. Payments in the payment service must agree with both.
 * Amounts are integers in each currency's minor unit and are only ever compared within
 * one currency: 1500 yen and 1500 cents are different money.
 */
export async function checkMoney(db: AuditDatabases): Promise<InvariantResult[]> {
  const orders = await db.order.query<OrderMoney>('SELECT id, status, total_cents, currency FROM orders');
  const held = await db.provider.query<HeldMoney>(
    `SELECT idempotency_key AS key, currency, count(*) AS captures, sum(amount_cents) AS amount
       FROM charges WHERE outcome = 'captured' AND refunded_at IS NULL GROUP BY idempotency_key, currency`,
  );
  const payments = await db.payment.query<PaymentMoney>(
    'SELECT order_id, status, amount_cents, currency FROM payments',
  );
  return judgeMoney(orders.rows, held.rows, payments.rows);
}

/** The verdicts, from the rows alone (no I/O: unit-tested on its own). */
export function judgeMoney(
  orderRows: OrderMoney[],
  heldRows: HeldMoney[],
  paymentRows: PaymentMoney[],
): InvariantResult[] {
  const orders = new Map(orderRows.map((row) => [row.id, row]));
  const heldByOrder = new Map<string, HeldMoney[]>();
  for (const row of heldRows) heldByOrder.set(row.key, [...(heldByOrder.get(row.key) ?? []), row]);

  const providerViolations: string[] = [];
  for (const order of orders.values()) {
    const money = heldByOrder.get(order.id) ?? [];
    const captures = money.reduce((sum, row) => sum + Number(row.captures), 0);
    if (captures > 1) providerViolations.push(`order ${order.id}: ${captures} captures at the provider`);
    const expected = order.status === 'PAID' ? Number(order.total_cents) : 0;
    const foreign = money.filter((row) => row.currency !== order.currency);
    for (const row of foreign)
      providerViolations.push(
        `order ${order.id} is in ${order.currency} but the provider holds ${row.amount} ${row.currency}`,
      );
    const amount = Number(money.find((row) => row.currency === order.currency)?.amount ?? 0);
    if (amount !== expected)
      providerViolations.push(
        `order ${order.id} is ${order.status} (total ${order.total_cents} ${order.currency}) but the provider holds ${amount} ${order.currency}`,
      );
  }
  for (const key of heldByOrder.keys()) {
    if (!orders.has(key)) providerViolations.push(`the provider holds money for ${key}, which is no order`);
  }

  const paymentViolations: string[] = [];
  const capturedOrders = new Set<string>();
  for (const payment of paymentRows) {
    const order = orders.get(payment.order_id);
    if (payment.status === 'CAPTURED') {
      capturedOrders.add(payment.order_id);
      if (order?.status !== 'PAID')
        paymentViolations.push(
          `payment of ${payment.order_id} is CAPTURED but the order is ${order?.status ?? 'missing'}`,
        );
      else if (
        Number(payment.amount_cents) !== Number(order.total_cents) ||
        payment.currency !== order.currency
      ) {
        paymentViolations.push(
          `payment of ${payment.order_id} captured ${payment.amount_cents} ${payment.currency}, the order total is ${order.total_cents} ${order.currency}`,
        );
      }
    }
    if (payment.status === 'REFUNDED' && order?.status === 'PAID')
      paymentViolations.push(`order ${payment.order_id} is PAID but its payment was refunded`);
  }
  for (const order of orders.values()) {
    if (order.status === 'PAID' && !capturedOrders.has(order.id))
      paymentViolations.push(`order ${order.id} is PAID without a captured payment`);
  }

  return [
    {
      name: 'money-at-provider',
      description:
        'money held at the provider per order = its total in its currency if PAID, else 0; never two captures',
      checked: orders.size,
      violations: providerViolations,
    },
    {
      name: 'payments-match-orders',
      description:
        'every PAID order has exactly one capture of its total in its currency; every capture belongs to a PAID order',
      checked: paymentRows.length,
      violations: paymentViolations,
    },
  ];
}
