import type { AuditBounds, AuditDatabases, InvariantResult } from './audit-types';

/** Every PAID order told its customer exactly once, and no event was notified twice. */
export async function checkNotifications(db: AuditDatabases): Promise<InvariantResult> {
  const paid = await db.order.query<{ order_id: string; event_id: string }>(
    `SELECT o.id AS order_id, x.id::text AS event_id FROM orders o
       LEFT JOIN outbox x ON x.message_key = o.id::text AND x.event_type = 'order.paid'
      WHERE o.status IN ('PAID') OR x.id IS NOT NULL`,
  );
  const notified = await db.notification.query<{ event_id: string; n: string }>(
    'SELECT event_id, count(*) AS n FROM notifications GROUP BY event_id',
  );
  const counts = new Map(notified.rows.map((row) => [row.event_id, Number(row.n)]));
  const violations: string[] = [];
  const eventsPerOrder = new Map<string, number>();
  for (const row of paid.rows)
    eventsPerOrder.set(row.order_id, (eventsPerOrder.get(row.order_id) ?? 0) + (row.event_id ? 1 : 0));
  for (const [orderId, events] of eventsPerOrder)
    if (events !== 1) violations.push(`order ${orderId} has ${events} order.paid events`);
  for (const row of paid.rows) {
    if (row.event_id && (counts.get(row.event_id) ?? 0) !== 1)
      violations.push(`order.paid of ${row.order_id}: ${counts.get(row.event_id) ?? 0} notifications`);
  }
  for (const [eventId, n] of counts) if (n > 1) violations.push(`event ${eventId} notified ${n} times`);
  return {
    name: 'notifications-once',
    description: 'every PAID order has exactly one order.paid notification; no event notified twice',
    checked: eventsPerOrder.size,
    violations,
  };
}

/** Nothing is stuck: outboxes drain, and no order waits for payment past its deadline. */
export async function checkProgress(db: AuditDatabases, bounds: AuditBounds): Promise<InvariantResult[]> {
  const outbox: string[] = [];
  let outboxRows = 0;
  for (const [name, database] of Object.entries(db.outboxes)) {
    const { rows } = await database.query<{ pending: string; oldest: number | null }>(
      `SELECT count(*) AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float AS oldest FROM outbox WHERE published_at IS NULL`,
    );
    const pending = Number(rows[0]?.pending ?? 0);
    outboxRows += pending;
    const oldest = rows[0]?.oldest ?? 0;
    if (pending > 0 && oldest > bounds.outboxMaxAgeSeconds)
      outbox.push(`${name}: ${pending} unpublished, oldest ${oldest.toFixed(0)} s`);
  }
  const stuck = await db.order.query<{ id: string; status: string }>(
    `SELECT id, status FROM orders WHERE status IN ('PENDING', 'PAYMENT_PENDING')
        AND payment_deadline < now() - make_interval(secs => $1)`,
    [bounds.deadlineGraceSeconds],
  );
  return [
    {
      name: 'outbox-drained',
      description: `no unpublished outbox row older than ${bounds.outboxMaxAgeSeconds} s`,
      checked: outboxRows,
      violations: outbox,
    },
    {
      name: 'no-order-stuck',
      description: `no order PENDING or PAYMENT_PENDING ${bounds.deadlineGraceSeconds} s past its payment deadline`,
      checked: stuck.rows.length,
      violations: stuck.rows.map((row) => `order ${row.id} is still ${row.status}`),
    },
  ];
}
