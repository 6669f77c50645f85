import type { Pool } from '@surge/postgres';
import type { CheckoutOutcome } from '../domain/checkout-outcome';
import type { CheckoutClaim, CheckoutRequest } from '../domain/ports';

/** The idempotency records of POST /api/orders (table checkout_requests). */
export function createCheckoutRepository(pool: Pool) {
  /** What an earlier request with this key tells the new one; undefined when there is none. */
  async function findExisting(
    request: Pick<CheckoutRequest, 'userId' | 'key' | 'requestHash'>,
  ): Promise<Exclude<CheckoutClaim, { kind: 'new' }> | undefined> {
    const { rows } = await pool.query<{
      request_hash: string;
      state: string;
      outcome: CheckoutOutcome | null;
    }>(
      'SELECT request_hash, state, outcome FROM checkout_requests WHERE user_id = $1 AND idempotency_key = $2',
      [request.userId, request.key],
    );
    const existing = rows[0];
    if (!existing) return undefined;
    if (existing.request_hash !== request.requestHash) return { kind: 'key-reused' };
    if (existing.state === 'COMPLETED' && existing.outcome)
      return { kind: 'replay', outcome: existing.outcome };
    return { kind: 'in-progress' };
  }

  return {
    async claimCheckout(request: CheckoutRequest, leaseSeconds: number): Promise<CheckoutClaim> {
      const inserted = await pool.query<{ order_id: string }>(
        `INSERT INTO checkout_requests (user_id, idempotency_key, request_hash, order_id, state, request, lease_until)
         VALUES ($1, $2, $3, $4, 'IN_PROGRESS', $5, now() + make_interval(secs => $6))
         ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING order_id`,
        [
          request.userId,
          request.key,
          request.requestHash,
          request.orderId,
          JSON.stringify(request.request),
          leaseSeconds,
        ],
      );
      if (inserted.rows[0]) return { kind: 'new', orderId: inserted.rows[0].order_id };
      // Deleted between the two statements (an abandoned checkout): the client may retry.
      return (await findExisting(request)) ?? { kind: 'in-progress' };
    },

    findCheckout: findExisting,

    async completeCheckout(orderId: string, outcome: CheckoutOutcome): Promise<void> {
      await pool.query(
        `UPDATE checkout_requests SET state = 'COMPLETED', outcome = $2, completed_at = now()
          WHERE order_id = $1 AND state = 'IN_PROGRESS'`,
        [orderId, JSON.stringify(outcome)],
      );
    },

    async findCheckoutOutcome(orderId: string): Promise<CheckoutOutcome | undefined> {
      const { rows } = await pool.query<{ outcome: CheckoutOutcome | null }>(
        "SELECT outcome FROM checkout_requests WHERE order_id = $1 AND state = 'COMPLETED'",
        [orderId],
      );
      return rows[0]?.outcome ?? undefined;
    },

    async abandonCheckout(orderId: string): Promise<void> {
      await pool.query('DELETE FROM checkout_requests WHERE order_id = $1 AND NOT order_created', [orderId]);
    },

    /**
     * Marks checkouts whose request died before creating the order ABANDONED (and leases
     * them). `order_created` lives on the same row the order's transaction updates, so a
     * slow request that is still creating its order either wins (and this skips the row)
     * or finds its checkout abandoned and gives up.
     */
    async claimAbandonedCheckouts(limit: number, leaseSeconds: number): Promise<string[]> {
      const { rows } = await pool.query<{ order_id: string }>(
        `UPDATE checkout_requests SET state = 'ABANDONED', lease_until = now() + make_interval(secs => $2)
          WHERE (user_id, idempotency_key) IN (
            SELECT user_id, idempotency_key FROM checkout_requests
             WHERE state IN ('IN_PROGRESS', 'ABANDONED') AND NOT order_created AND lease_until < now()
             ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED)
            AND NOT order_created
          RETURNING order_id`,
        [limit, leaseSeconds],
      );
      return rows.map((row) => row.order_id);
    },
  };
}
