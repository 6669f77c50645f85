import { provisionTestDatabase } from '@surge/testing';
import type { Pool } from 'pg';
import { createPool, failedBeforeCommit, withTransaction } from '../src';

/**
 * What a pool does when the database stops answering (a partition): a client-side query
 * timeout ends the wait, the connection is thrown away rather than reused, and the
 * failure says that nothing was committed. Real Postgres; pg_sleep stands for the answer
 * that never comes.
 */
let pool: Pool;

beforeAll(async () => {
  pool = createPool({
    connectionString: await provisionTestDatabase('surge_pg_failures_test'),
    applicationName: 'pg-failures-test',
    // The client's timeout must end the 'never answered' statement (pg_sleep) and no other:
    // the rest, on a Postgres shared by every test project at once, may take a while.
    statementTimeoutMs: 30_000,
    queryTimeoutMs: 2_000,
    max: 1,
  });
});
afterAll(() => pool.end());

it('a query with no answer times out on the client, is a failure before commit, and its connection is not reused', async () => {
  const before = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

  const failure = await withTransaction(pool, (tx) => tx.query('SELECT pg_sleep(10)')).catch(
    (error: unknown) => error,
  );

  expect(String(failure)).toMatch(/Query read timeout/);
  expect(failedBeforeCommit(failure)).toBe(true);
  const after = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  expect(after).not.toBe(before);
});

it('a transaction that commits is not reported as failed, and an unrelated error is not marked', async () => {
  await expect(withTransaction(pool, (tx) => tx.query('SELECT 1'))).resolves.toBeDefined();
  expect(failedBeforeCommit(new Error('elsewhere'))).toBe(false);
});
