import type { AuditDatabases, InvariantResult } from './audit-types';

interface OrderRow {
  id: string;
  status: string;
  total_cents: string;
}

/**
 * The headline: no card charged twice, no money without an order. The provider's own
 * ledger is the ground truth of money taken: for every order, the amount captured and
 * not refunded at the provider is the order's total if it is PAID, and zero otherwise.
 * Payments in the payment service must agree with both.
 */
export async function checkMoney(db: AuditDatabases): Promise<InvariantResult[]> {
  const orders = new Map(
    (await db.order.query<OrderRow>('SELECT id, status, total_cents FROM orders')).rows.map((row) => [
      row.id,
      row,
    ]),
  );
  const held = await db.provider.query<{ key: string; captures: string; amount: string }>(
    `SELECT idempotency_key AS key, count(*) AS captures, sum(amount_cents) AS amount
       FROM charges WHERE outcome = 'captured' AND refunded_at IS NULL GROUP BY idempotency_key`,
  );
  const heldByOrder = new Map(held.rows.map((row) => [row.key, row]));
  const providerViolations: string[] = [];
  for (const order of orders.values()) {
    const money = heldByOrder.get(order.id);
    const amount = money ? Number(money.amount) : 0;
    const expected = order.status === 'PAID' ? Number(order.total_cents) : 0;
    if (money && Number(money.captures) > 1)
      providerViolations.push(`order ${order.id}: ${money.captures} captures at the provider`);
    if (amount !== expected)
      providerViolations.push(
        `order ${order.id} is ${order.status} (total ${order.total_cents}) but the provider holds ${amount}`,
      );
  }
  for (const key of heldByOrder.keys()) {
    if (!orders.has(key)) providerViolations.push(`the provider holds money for ${key}, which is no order`);
  }

  const payments = await db.payment.query<{ order_id: string; status: string; amount_cents: string | null }>(
    'SELECT order_id, status, amount_cents FROM payments',
  );
  const paymentViolations: string[] = [];
  const capturedOrders = new Set<string>();
  for (const payment of payments.rows) {
    const order = orders.get(payment.order_id);
    if (payment.status === 'CAPTURED') {
      capturedOrders.add(payment.order_id);
      if (order?.status !== 'PAID')
        paymentViolations.push(
          `payment of ${payment.order_id} is CAPTURED but the order is ${order?.status ?? 'missing'}`,
        );
      else if (Number(payment.amount_cents) !== Number(order.total_cents)) {
        paymentViolations.push(
          `payment of ${payment.order_id} captured ${payment.amount_cents}, the order total is ${order.total_cents}`,
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
      description: 'money held at the provider per order = its total if PAID, else 0; never two captures',
      checked: orders.size,
      violations: providerViolations,
    },
    {
      name: 'payments-match-orders',
      description:
        'every PAID order has exactly one capture of its total; every capture belongs to a PAID order',
      checked: payments.rows.length,
      violations: paymentViolations,
    },
  ];
}
