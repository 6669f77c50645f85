import { withTransaction, type Pool, type Queryable } from '@surge/postgres';
import type { RefreshTokenRecord, RefreshTokenStore, RefreshTokenTx } from '../domain/ports';

interface TokenRow {
  id: string;
  family_id: string;
  user_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

type NewToken = Parameters<RefreshTokenStore['insert']>[0];

async function insert(db: Queryable, record: NewToken): Promise<void> {
  await db.query(
    'INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [record.id, record.familyId, record.userId, record.tokenHash, record.expiresAt],
  );
}

async function revokeFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
    familyId,
  ]);
}

export function createRefreshTokenRepository(pool: Pool): RefreshTokenStore {
  return {
    insert: (record) => insert(pool, record),
    revokeFamily: (familyId) => revokeFamily(pool, familyId),

    async findFamilyByHash(tokenHash) {
      const { rows } = await pool.query<{ family_id: string }>(
        'SELECT family_id FROM refresh_tokens WHERE token_hash = $1',
        [tokenHash],
      );
      return rows[0]?.family_id;
    },

    withLockedToken(tokenHash, work) {
      return withTransaction(pool, async (client) => {
        const { rows } = await client.query<TokenRow>(
          'SELECT id, family_id, user_id, expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE',
          [tokenHash],
        );
        const row = rows[0];
        const record: RefreshTokenRecord | undefined = row && {
          id: row.id,
          familyId: row.family_id,
          userId: row.user_id,
          expiresAt: row.expires_at,
          rotatedAt: row.rotated_at,
          revokedAt: row.revoked_at,
        };
        const tx: RefreshTokenTx = {
          insert: (next) => insert(client, next),
          revokeFamily: (familyId) => revokeFamily(client, familyId),
          markRotated: async (id) => {
            await client.query('UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1', [id]);
          },
        };
        return work(record, tx);
      });
    },
  };
}
