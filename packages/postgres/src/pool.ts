import { Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import { isConnectionFailure } from '@surge/errors';
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
  /**
   * Client-side bound on waiting for an answer. statement_timeout is enforced by the
   * server, so it cannot help when the server never hears the query (a network
   * partition); this does. Default: the statement timeout plus one second.
   */
  queryTimeoutMs?: number;
  /** How long to wait for a new connection before failing (503 at the edge). */
  connectTimeoutMs?: number;
  logger?: Logger;
}

export function createPool(options: CreatePoolOptions): Pool {
  const config: PoolConfig = {
    connectionString: options.connectionString,
    application_name: options.applicationName,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    // Fail fast when the database is unreachable, so readiness and callers see it.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    query_timeout: options.queryTimeoutMs ?? (options.statementTimeoutMs ?? 10_000) + 1_000,
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
  let failure: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    failure = error;
    throw error;
  } finally {
    // A connection that failed or timed out may still have a query in flight (a partition):
    // destroy it instead of handing it to the next caller.
    client.release(failure !== undefined && isConnectionFailure(failure) ? (failure as Error) : undefined);
  }
}

/** Readiness probe: the database answers a trivial query. */
export async function pingPostgres(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}
