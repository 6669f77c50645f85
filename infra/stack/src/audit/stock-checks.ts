import type { AuditDatabases, InvariantResult } from './audit-types';

/**
 * Inventory never invents or loses a unit: per product, available + reserved + sold =
 * initial + adjustments, nothing negative, and the reserved and sold counters equal the
 * reservations behind them. Each reservation matches its order's state.
 */
export async function checkStock(db: AuditDatabases): Promise<InvariantResult[]> {
  const products = await db.product.query<{
    id: string;
    stock: number;
    reserved: number;
    sold: number;
    initial_stock: number;
    adjustments: number;
    held: string;
    sold_lines: string;
  }>(
    `SELECT p.id, p.stock, p.reserved, p.sold, p.initial_stock, p.adjustments,
            COALESCE(sum(l.quantity) FILTER (WHERE r.status = 'RESERVED'), 0) AS held,
            COALESCE(sum(l.quantity) FILTER (WHERE r.status = 'COMMITTED'), 0) AS sold_lines
       FROM products p
       LEFT JOIN reservation_lines l ON l.product_id = p.id
       LEFT JOIN reservations r ON r.order_id = l.order_id
      GROUP BY p.id`,
  );
  const balance: string[] = [];
  for (const p of products.rows) {
    if (p.stock < 0 || p.reserved < 0 || p.sold < 0) balance.push(`product ${p.id}: negative counter`);
    if (p.stock + p.reserved + p.sold !== p.initial_stock + p.adjustments) {
      balance.push(
        `product ${p.id}: ${p.stock}+${p.reserved}+${p.sold} != ${p.initial_stock}+${p.adjustments}`,
      );
    }
    if (p.reserved !== Number(p.held))
      balance.push(`product ${p.id}: reserved ${p.reserved}, reservations hold ${p.held}`);
    if (p.sold !== Number(p.sold_lines))
      balance.push(`product ${p.id}: sold ${p.sold}, committed reservations ${p.sold_lines}`);
  }

  const orders = new Map(
    (await db.order.query<{ id: string; status: string }>('SELECT id, status FROM orders')).rows.map(
      (row) => [row.id, row.status],
    ),
  );
  const reservations = await db.product.query<{ order_id: string; status: string }>(
    'SELECT order_id, status FROM reservations',
  );
  const expected: Record<string, string[]> = {
    PENDING: ['RESERVED'],
    PAYMENT_PENDING: ['RESERVED'],
    PAID: ['COMMITTED'],
    CANCELLED: ['RELEASED', 'RETURNED'],
  };
  const matching: string[] = [];
  for (const reservation of reservations.rows) {
    const status = orders.get(reservation.order_id);
    if (status === undefined) {
      if (reservation.status !== 'RELEASED')
        matching.push(`reservation ${reservation.order_id} is ${reservation.status} without an order`);
    } else if (!expected[status]?.includes(reservation.status)) {
      matching.push(
        `order ${reservation.order_id} is ${status} but its reservation is ${reservation.status}`,
      );
    }
  }
  return [
    {
      name: 'inventory-balance',
      description:
        'per product: available + reserved + sold = initial + adjustments, none negative, counters = reservations',
      checked: products.rows.length,
      violations: balance,
    },
    {
      name: 'reservations-match-orders',
      description:
        'PAID → committed, CANCELLED → released or returned, waiting → reserved, no order → released',
      checked: reservations.rows.length,
      violations: matching,
    },
  ];
}
