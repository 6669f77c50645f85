import { provisionTestDatabase } from '@surge/testing';
import type { Pool } from 'pg';
import { createPool, failedBeforeCommit, queryAtomically } from '../src';

/**
 * One statement as its own transaction: what its failures say about what was committed.
 * Real Postgres; pg_sleep stands for an answer that never comes.
 */
let pool: Pool;
let url: string;

beforeAll(async () => {
  url = await provisionTestDatabase('surge_pg_atomic_test');
  pool = createPool({
    connectionString: url,
    applicationName: 'pg-atomic-test',
    // The client's timeout must end the 'never answered' statement (pg_sleep) and no other:
    // the rest, on a Postgres shared by every test project at once, may take a while.
    statementTimeoutMs: 30_000,
    queryTimeoutMs: 2_000,
    max: 1,
  });
  await pool.query('CREATE TABLE IF NOT EXISTS atomic_rows (id int PRIMARY KEY)');
});
afterAll(() => pool.end());

it('writes every part of a CTE or none: a failing part leaves nothing and is a failure before commit', async () => {
  const failure = await queryAtomically(
    pool,
    `WITH first AS (INSERT INTO atomic_rows (id) VALUES (1) RETURNING id)
     INSERT INTO atomic_rows (id) SELECT id FROM first`,
    [],
  ).catch((error: unknown) => error);

  expect(String(failure)).toMatch(/duplicate key/);
  expect(failedBeforeCommit(failure)).toBe(true);
  expect((await pool.query('SELECT id FROM atomic_rows WHERE id = 1')).rows).toEqual([]);
});

it('a statement lost in flight stays ambiguous, and its connection is not reused', async () => {
  const before = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

  const failure = await queryAtomically(pool, 'SELECT pg_sleep(10)', []).catch((error: unknown) => error);

  expect(String(failure)).toMatch(/Query read timeout/);
  expect(failedBeforeCommit(failure)).toBe(false);
  const after = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  expect(after).not.toBe(before);
});

it('no connection at all is a failure before commit', async () => {
  const unreachable = createPool({
    connectionString: 'postgres://nobody@127.0.0.1:1/none',
    applicationName: 'pg-atomic-test',
    connectTimeoutMs: 1_000,
  });
  try {
    const failure = await queryAtomically(unreachable, 'SELECT 1', []).catch((error: unknown) => error);
    expect(failedBeforeCommit(failure)).toBe(true);
  } finally {
    await unreachable.end();
  }
});
