import type { Pool } from '@surge/postgres';

/**
 * A Postgres session advisory lock on a connection of its own: among all instances
 * sharing the database, one runs `work` at a time; the others skip. A session lock
 * rather than a transaction-scoped one, because `work` makes HTTP calls and no
 * transaction should stay open across them. If the process dies, its connection
 * closes and the lock is free.
 */
export async function runAsLeader<T>(
  pool: Pool,
  key: string,
  work: () => Promise<T>,
): Promise<{ led: true; result: T } | { led: false }> {
  const client = await pool.connect();
  let locked = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [key],
    );
    locked = rows[0]?.locked === true;
    if (!locked) return { led: false };
    return { led: true, result: await work() };
  } finally {
    let unlocked = true;
    if (locked) {
      unlocked = await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).then(
        () => true,
        () => false,
      );
    }
    // A connection that may still hold the lock is closed, not pooled: closing frees it.
    client.release(!unlocked);
  }
}
