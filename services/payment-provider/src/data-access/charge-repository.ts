import type { Pool } from '@surge/postgres';
import type { Charge, ChargeOutcome } from '../domain/charge';
import type { ChargeStore } from '../domain/ports';

interface ChargeRow {
  idempotency_key: string;
  id: string;
  amount_cents: string;
  currency: string;
  token: string;
  outcome: ChargeOutcome;
  refund_id: string | null;
  refunded_at: Date | null;
  created_at: Date;
}

const COLUMNS =
  'idempotency_key, id, amount_cents, currency, token, outcome, refund_id, refunded_at, created_at';

function toCharge(row: ChargeRow): Charge {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    // bigint arrives as a string; amounts are validated far below 2^53.
    amountCents: Number(row.amount_cents),
    currency: row.currency,
    token: row.token,
    outcome: row.outcome,
    refundId: row.refund_id,
    refundedAt: row.refunded_at,
    createdAt: row.created_at,
  };
}

export function createChargeRepository(pool: Pool): ChargeStore {
  const findByKey = async (idempotencyKey: string) => {
    const { rows } = await pool.query<ChargeRow>(
      `SELECT ${COLUMNS} FROM charges WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return rows[0] ? toCharge(rows[0]) : undefined;
  };

  return {
    findByKey,

    async insertOrFind(charge) {
      // A concurrent insert of the same key waits for the first to commit, then skips;
      // the SELECT that follows (a new snapshot) sees the committed row.
      const { rows } = await pool.query<ChargeRow>(
        `INSERT INTO charges (idempotency_key, id, amount_cents, currency, token, outcome, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          charge.idempotencyKey,
          charge.id,
          charge.amountCents,
          charge.currency,
          charge.token,
          charge.outcome,
          charge.createdAt,
        ],
      );
      if (rows[0]) return { charge: toCharge(rows[0]), created: true };
      const existing = await findByKey(charge.idempotencyKey);
      // Charges are never deleted, so a conflicting key always has a row to read.
      if (!existing) throw new Error('charge disappeared after an idempotency-key conflict');
      return { charge: existing, created: false };
    },

    async findById(id) {
      const { rows } = await pool.query<ChargeRow>(`SELECT ${COLUMNS} FROM charges WHERE id = $1`, [id]);
      return rows[0] ? toCharge(rows[0]) : undefined;
    },

    async markRefunded(id, refundId) {
      // COALESCE keeps the first refund: a repeated refund answers it instead of making another.
      const { rows } = await pool.query<ChargeRow>(
        `UPDATE charges SET refund_id = COALESCE(refund_id, $2), refunded_at = COALESCE(refunded_at, now())
          WHERE id = $1 AND outcome = 'captured'
          RETURNING ${COLUMNS}`,
        [id, refundId],
      );
      return rows[0] ? toCharge(rows[0]) : undefined;
    },
  };
}
