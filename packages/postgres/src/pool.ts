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
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw markedNotCommitted(error);
  }
  let failure: unknown;
  let committing = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    committing = true;
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that failed is destroyed below, which aborts the transaction on the
    // server; a ROLLBACK on it would only wait for its own timeout (a partition).
    if (!isConnectionFailure(error)) await client.query('ROLLBACK').catch(() => undefined);
    failure = error;
    // Before COMMIT was sent, nothing can have been committed (a lost connection aborts the
    // transaction). A failed COMMIT is different: the server may have committed anyway.
    throw committing ? error : markedNotCommitted(error);
  } finally {
    // A connection that failed or timed out may still have a query in flight (a partition):
    // destroy it instead of handing it to the next caller.
    client.release(failure !== undefined && isConnectionFailure(failure) ? (failure as Error) : undefined);
  }
}

/**
 * One statement in its own implicit transaction: all of it commits or none of it does,
 * in one round trip (a CTE can claim a row, write another and append its outbox event,
 * where BEGIN ... COMMIT around three statements costs five). As with withTransaction,
 * failedBeforeCommit(error) is true when nothing can have been committed: no connection
 * could be had, or the server refused the statement. A connection lost while the
 * statement was in flight stays ambiguous (the server may have committed it).
 */
export async function queryAtomically<R extends QueryResultRow = QueryResultRow>(
  pool: Pool,
  text: string,
  values: unknown[],
): Promise<{ rows: R[]; rowCount: number | null }> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw markedNotCommitted(error);
  }
  let failure: unknown;
  try {
    return await client.query<R>(text, values);
  } catch (error) {
    failure = error;
    throw isConnectionFailure(error) ? error : markedNotCommitted(error);
  } finally {
    client.release(failure !== undefined && isConnectionFailure(failure) ? (failure as Error) : undefined);
  }
}

const notCommitted = new WeakSet<object>();

function markedNotCommitted(error: unknown): unknown {
  if (error !== null && typeof error === 'object') notCommitted.add(error);
  return error;
}

/**
 * True when withTransaction failed before COMMIT was sent, so nothing of it was
 * committed; false when the outcome is unknown (the COMMIT itself failed) or it is not
 * such an error. Lets a caller undo what it did elsewhere only when that is safe.
 */
export function failedBeforeCommit(error: unknown): boolean {
  return error !== null && typeof error === 'object' && notCommitted.has(error);
}

/** Readiness probe: the database answers a trivial query. */
export async function pingPostgres(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}
