import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testInfra, eventually } from '@surge/testing';
import { checkoutBody, placeOrder, startOrderHarness, type OrderHarness } from './support/order-service';

/**
 * The order database becomes unreachable between the reservation (product service) and
 * the order row (as in `npm run chaos -- order-db-partition`): the checkout is a 503 the client
 * may retry, and the stock is not held for an order that was never written.
 */
let h: OrderHarness;
let admin: Client;
let database: string;

beforeAll(async () => {
  // A short checkout lease: the key this test's client holds is forgotten by the worker soon.
  h = await startOrderHarness({ CHECKOUT_LEASE_SECONDS: '2' });
  admin = new Client({ connectionString: testInfra().adminUrl });
  await admin.connect();
  database = new URL(h.config.DATABASE_URL).pathname.slice(1);
});
afterAll(async () => {
  await admin.query(`ALTER DATABASE ${database} CONNECTION LIMIT -1`);
  await admin.end();
  await h.stop();
});

/**
 * New connections to the order database are refused (53300) and the pool's are cut, and
 * the service has seen it before the reservation is answered, as after a partition.
 *
 * pg_terminate_backend only signals the backends. Until each has exited and the service has
 * read its "terminating connection" message, the pool may lend a connection that is about
 * to die, and the INSERT sent on it fails in flight. Such a statement may have committed,
 * so the saga rightly leaves it to the worker and releases nothing at once (CI saw this).
 * That path is the recovery worker's, covered by its own tests. This test covers the one
 * where no connection can be had, so it waits until the cut is complete on both sides.
 */
async function cutOrderDatabase(): Promise<void> {
  await admin.query(`ALTER DATABASE ${database} CONNECTION LIMIT 0`);
  await admin.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'order'",
    [database],
  );
  await eventually(
    async () => {
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'order'",
        [database],
      );
      return rows[0]?.n === 0 ? true : undefined;
    },
    { what: "the order service's backends to exit" },
  );
  // The backends sent their last message before they exited: one readiness probe that
  // fails means the service's event loop has read those messages and the pool has
  // dropped the dead connections.
  await eventually(
    async () => ((await fetch(`${h.adminUrl}/health/ready`)).status === 503 ? true : undefined),
    {
      what: 'the order service to see its database gone',
    },
  );
}

describe('checkout when the order database cannot be reached after the reservation', () => {
  it('answers 503 with Retry-After, releases the reservation at once, and the same key works once it is back', async () => {
    const product = h.product.addProduct(700, 5);
    const { token, userId } = h.token();
    const key = randomUUID();
    const body = checkoutBody([{ productId: product.id, quantity: 2 }]);
    h.product.afterReserve = cutOrderDatabase;

    const res = await placeOrder(h, token, body, key);
    delete h.product.afterReserve;

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect([...h.product.reservations.values()]).toEqual([
      { status: 'RELEASED', items: [{ productId: product.id, quantity: 2 }] },
    ]);
    expect(product).toMatchObject({ stock: 5, reserved: 0 });
    expect(h.payment.chargeCalls).toHaveLength(0);

    await admin.query(`ALTER DATABASE ${database} CONNECTION LIMIT -1`);
    // The database was still cut when the key was to be forgotten: the worker does it once
    // the lease ends, and the retry with the same key starts over.
    const statuses: string[] = [];
    const retried = await eventually(async () => {
      const again = await placeOrder(h, token, body, key);
      statuses.push(`${again.status} ${String(again.body.code ?? again.body.status)}`);
      return again.status === 201 ? again : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; the retries answered: ${[...new Set(statuses)].join(', ')}`);
    });
    expect(retried.body).toMatchObject({ status: 'PAID' });
    expect(await h.query('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [userId])).toEqual([
      { n: 1 },
    ]);
  });
});
