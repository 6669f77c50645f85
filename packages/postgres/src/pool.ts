import { Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import type { Logger } from '@surge/logger';

/** A pool or a client inside a transaction: repositories take either. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface CreatePoolOptions {
  connectionString: string;
  applicationName: string;
  max?: number;
  /** Kills statements that run away instead of letting them hold a connection forever. */
  statementTimeoutMs?: number;
  logger?: Logger;
}

export function createPool(options: CreatePoolOptions): Pool {
  const config: PoolConfig = {
    connectionString: options.connectionString,
    application_name: options.applicationName,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    // Fail fast when the database is unreachable, so readiness and callers see it.
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
  };
  const pool = new Pool(config);
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle postgres client failed'));
  return pool;
}

/**
 * Runs `work` in one transaction and commits, or rolls back on any error and rethrows.
 * Everything a use case writes together (a row and its outbox event) goes through here.
 */
export async function withTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Readiness probe: the database answers a trivial query. */
export async function pingPostgres(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}
