import { appendToOutbox } from '@surge/messaging';
import { isUniqueViolation, withTransaction, type Pool } from '@surge/postgres';
import type { Role } from '@surge/auth';
import type { UserStore } from '../domain/ports';
import { normalizeEmail, type Preferences, type User, type UserWithSecret } from '../domain/user';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  preferences: Preferences;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, email, name, role, password_hash, preferences, version, created_at, updated_at';

function toUser(row: UserRow): UserWithSecret {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    preferences: row.preferences,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function withoutSecret(user: UserWithSecret): User {
  const { passwordHash: _secret, ...rest } = user;
  return rest;
}

const INSERT = `INSERT INTO users (id, email, email_normalized, name, role, password_hash, preferences, version, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`;

export function createUserRepository(pool: Pool, source: string): UserStore {
  return {
    async createWithEvent(user) {
      try {
        await withTransaction(pool, async (tx) => {
          await tx.query(INSERT, [
            user.id,
            user.email,
            normalizeEmail(user.email),
            user.name,
            user.role,
            user.passwordHash,
            JSON.stringify(user.preferences),
            user.version,
            user.createdAt,
          ]);
          await appendToOutbox(tx, {
            type: 'user.registered',
            source,
            subject: user.id,
            data: { userId: user.id, email: user.email, name: user.name, version: user.version },
          });
        });
        return true;
      } catch (error) {
        if (isUniqueViolation(error, 'users_email_normalized_key')) return false;
        throw error;
      }
    },

    async findByEmail(normalizedEmail) {
      const { rows } = await pool.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email_normalized = $1`, [
        normalizedEmail,
      ]);
      return rows[0] ? toUser(rows[0]) : undefined;
    },

    async findById(id) {
      const { rows } = await pool.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0] ? withoutSecret(toUser(rows[0])) : undefined;
    },

    async update(id, changes) {
      const { rows } = await pool.query<UserRow>(
        `UPDATE users SET name = COALESCE($2, name), preferences = COALESCE($3::jsonb, preferences),
                version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          changes.name ?? null,
          changes.preferences === undefined ? null : JSON.stringify(changes.preferences),
        ],
      );
      return rows[0] ? withoutSecret(toUser(rows[0])) : undefined;
    },

    async updatePasswordHash(id, passwordHash) {
      // Not a profile change: version and updated_at stay, so no client sees a conflict.
      await pool.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
    },

    async ensureAdmin(user) {
      const { rowCount } = await pool.query(`${INSERT} ON CONFLICT (email_normalized) DO NOTHING`, [
        user.id,
        user.email,
        normalizeEmail(user.email),
        user.name,
        user.role,
        user.passwordHash,
        JSON.stringify(user.preferences),
        user.version,
        user.createdAt,
      ]);
      return rowCount === 1;
    },

    async resetAdmin(id, passwordHash) {
      await withTransaction(pool, async (tx) => {
        await tx.query(
          `UPDATE users SET password_hash = $2, role = 'admin', version = version + 1, updated_at = now()
            WHERE id = $1`,
          [id, passwordHash],
        );
        // Whoever logged in with the old password keeps no session.
        await tx.query(
          'UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
          [id],
        );
      });
    },
  };
}
