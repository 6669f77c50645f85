import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'pg';
// Seeding goes through each service's own repository, as its use cases write (each
// service's index.ts exports it for this bench; no service imports another).
import { createNotificationRepository } from '@surge/notification';
import { createOrderRepository, hashRequest } from '@surge/order';
import { createPaymentRepository } from '@surge/payment';
import { redisServiceUrl } from '@surge/stack/native';
import { signTestToken, type TestKeyPair } from '@surge/testing';
import { benchNotifications, benchOrder, benchPaymentIntent } from '../lib/read-route-seeds';
import type { ReadsService } from '../lib/reads-settings';
import type { BenchSettings } from '../lib/settings';

/**
 * The read route of each service other than product that service-reads measures: why it
 * is the one, what the service needs in its environment here, and how its data is seeded.
 */

/** What every service of this part of the benchmark shares. */
export interface OthersContext {
  root: string;
  dir: string;
  settings: BenchSettings;
  wrk: string;
  postgresAdminUrl: string;
  redisUrl: string;
  /** The JWKS and OTLP sink (bench/fixtures/product-upstream.cjs). */
  sink: string;
  /** The key the sink's JWKS publishes: tokens signed with it verify in every service. */
  keys: TestKeyPair;
  /** Production first (profiled), then development: the product service's settings. */
  variants: Array<[string, NodeJS.ProcessEnv]>;
  /** Length of each measured run and of the warm-up (shorter than the product's). */
  seconds: number;
  warmupSeconds: number;
  /** A port nothing listens on: the address of what a service must not reach here. */
  closedPort: number;
}

/** Where a seeded read is, and the headers a real caller sends to it. */
export interface Seeded {
  path: string;
  headers: Record<string, string>;
}

export interface ReadTarget {
  service: Exclude<ReadsService, 'product'>;
  route: string;
  why: string;
  env(ctx: OthersContext): NodeJS.ProcessEnv;
  /** Runs once the service is up (its migrations applied), before the first measurement. */
  seed(ctx: OthersContext, base: string, databaseUrl: string): Promise<Seeded>;
}

/**
 * The headers the gateway sends a service with a shopper's request (its
 * forwarded-headers.ts): the bearer token, the request id and the forwarding facts. No
 * traceparent: a fixed one would force every trace in or out, where the gateway's own
 * sampler decides one in ten.
 */
function callerHeaders(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'x-request-id': `bench-${randomUUID()}`,
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'shop.surge.local',
  };
}

async function withPool<T>(databaseUrl: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

export const TARGETS: ReadTarget[] = [
  {
    service: 'user',
    route: 'GET /api/users/me',
    why:
      'every signed-in page shows the shopper, so a client asks for its profile more than anything else the ' +
      'user service serves (login and register are writes; the JWKS is fetched once per key by each service). ' +
      'The cost includes verifying a real RS256 token the service issued at login, and the profile comes from ' +
      'its Redis cache.',
    env: (ctx) => ({
      REDIS_URL: redisServiceUrl(ctx.redisUrl, 'user'),
      DEV_KEYS_DIR: path.join(ctx.dir, 'user-keys'),
    }),
    async seed(_ctx, base) {
      // Through the API, as a shopper: register, log in, read the profile once (the cache is warm).
      const email = `bench-${randomUUID()}@surge.local`;
      const password = `bench-${randomUUID()}`;
      await postJson(`${base}/api/auth/register`, { email, password, name: 'Bench Shopper' }, 201);
      const { accessToken } = (await postJson(`${base}/api/auth/login`, { email, password }, 200)) as {
        accessToken: string;
      };
      return { path: '/api/users/me', headers: callerHeaders(accessToken) };
    },
  },
  {
    service: 'order',
    route: 'GET /api/orders/{id}',
    why:
      'the order page after checkout, polled by the storefront until the order is paid: the read a client makes ' +
      'most of an order. Seeded through the order repository (createOrder writes the order and its order.created ' +
      'outbox row in one statement, after claimCheckout as place-order does); the recovery worker is off, so it ' +
      'stays as seeded.',
    env: (ctx) => ({
      REDIS_URL: redisServiceUrl(ctx.redisUrl, 'order'),
      PRODUCT_SERVICE_URL: ctx.sink,
      PAYMENT_SERVICE_URL: ctx.sink,
      RECOVERY_WORKER: 'false',
    }),
    async seed(ctx, _base, databaseUrl) {
      const userId = randomUUID();
      const order = benchOrder(userId, new Date());
      await withPool(databaseUrl, async (pool) => {
        // As place-order does: the idempotency record first (it owns the order id), then the order.
        const store = createOrderRepository(pool);
        const body = { items: order.items.map(({ productId, quantity }) => ({ productId, quantity })) };
        const claim = await store.claimCheckout(
          { userId, key: randomUUID(), requestHash: hashRequest(body), orderId: order.id, request: body },
          3_600,
        );
        if (claim.kind !== 'new') throw new Error(`seeding an order claimed no checkout: ${claim.kind}`);
        await store.createOrder(order);
      });
      return {
        path: `/api/orders/${order.id}`,
        headers: callerHeaders(signTestToken(ctx.keys, { userId, expiresInSeconds: 3_600 })),
      };
    },
  },
  {
    service: 'payment',
    route: 'GET /api/payments?orderId={id}',
    why:
      'its only public read (the contract has no GET /api/payments/{id}): the order page asks for the payment of ' +
      'the order it shows. Seeded through the payment repository as a charge records it (recordIntent, then ' +
      'the capture: the list shows only payments something happened to); the reconciler is off, so the payment ' +
      'is not checked against a provider that is not there.',
    env: (ctx) => ({ PAYMENT_PROVIDER_URL: ctx.sink, RECONCILER: 'false' }),
    async seed(ctx, base, databaseUrl) {
      const userId = randomUUID();
      const intent = benchPaymentIntent(userId, randomUUID());
      await withPool(databaseUrl, async (pool) => {
        const payments = createPaymentRepository(pool, 'payment');
        await payments.recordIntent(intent);
        await payments.change(intent.orderId, (payment) => ({
          payment: {
            ...payment,
            status: 'CAPTURED',
            providerChargeId: `ch_bench_${intent.orderId}`,
            capturedAt: new Date(),
          },
          events: [],
        }));
      });
      const seeded = {
        path: `/api/payments?orderId=${intent.orderId}`,
        headers: callerHeaders(signTestToken(ctx.keys, { userId, expiresInSeconds: 3_600 })),
      };
      // A PENDING payment is not listed: an empty page would measure the wrong read.
      const page = (await (await fetch(`${base}${seeded.path}`, { headers: seeded.headers })).json()) as {
        items?: unknown[];
      };
      if (page.items?.length !== 1)
        throw new Error(`the seeded payment is not listed: ${JSON.stringify(page)}`);
      return seeded;
    },
  },
  {
    service: 'notification',
    route: 'GET /api/notifications',
    why:
      "its only public route: the account page lists the shopper's emails (first page, 20). Seeded through the " +
      'notification repository as the event consumer writes (insertPending in a transaction, then markSent). ' +
      'Its Kafka consumer gets a broker address nothing listens on (see below), and SMTP points nowhere.',
    env: (ctx) => ({
      // The consumers read `users`, `orders` and `payments` from the beginning; on the shared
      // broker a fresh group would replay every event ever published during the measurement.
      KAFKA_BROKERS: `127.0.0.1:${ctx.closedPort}`,
      SMTP_URL: `smtp://127.0.0.1:${ctx.closedPort}`,
      SEND_RETRY_INTERVAL_MS: '3600000',
      CONSUMER_GROUP: `bench-reads-${path.basename(ctx.dir)}`,
    }),
    async seed(ctx, _base, databaseUrl) {
      const userId = randomUUID();
      const items = benchNotifications(userId, `bench-${userId}@surge.local`, 5);
      await withPool(databaseUrl, async (pool) => {
        const store = createNotificationRepository(pool);
        for (const item of items) {
          const pending = await store.inTransaction((tx) => tx.insertPending(item));
          if (pending) await store.markSent(pending.id);
        }
      });
      return {
        path: '/api/notifications?limit=20',
        headers: callerHeaders(signTestToken(ctx.keys, { userId, expiresInSeconds: 3_600 })),
      };
    },
  },
];

async function postJson(url: string, body: unknown, status: number): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== status) throw new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}
