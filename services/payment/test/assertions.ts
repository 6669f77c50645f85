import type { PaymentTestEnv } from './support';

/** Reads straight from the databases: what was really stored, not what the API says. */

export async function paymentRows(env: PaymentTestEnv, orderId: string) {
  const { rows } = await env.db.query(
    'SELECT id, status, provider_charge_id, version FROM payments WHERE order_id = $1',
    [orderId],
  );
  return rows as Array<{ id: string; status: string; provider_charge_id: string | null; version: number }>;
}

export async function outboxEvents(env: PaymentTestEnv, orderId: string) {
  const { rows } = await env.db.query(
    `SELECT event_type, topic, message_key, data FROM outbox WHERE data->>'orderId' = $1 ORDER BY seq`,
    [orderId],
  );
  return rows as Array<{
    event_type: string;
    topic: string;
    message_key: string;
    data: Record<string, unknown>;
  }>;
}

/** The simulator's charges for the order (its idempotency key is the order id). */
export async function providerCharges(env: PaymentTestEnv, orderId: string) {
  const { rows } = await env.providerDb.query(
    'SELECT id, outcome, refund_id FROM charges WHERE idempotency_key = $1',
    [orderId],
  );
  return rows as Array<{ id: string; outcome: string; refund_id: string | null }>;
}

/** POST /v1/charges calls the simulator answered so far (from its own /metrics). */
export async function providerChargeCalls(env: PaymentTestEnv): Promise<number> {
  const text = await fetch(`${env.providerAdminUrl}/metrics`).then((res) => res.text());
  return text
    .split('\n')
    .filter((line) => line.startsWith('http_requests_total{'))
    .filter((line) => line.includes('method="POST"') && line.includes('route="/v1/charges"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
