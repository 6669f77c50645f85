import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createScratchDatabase,
  createTestKeyPair,
  serveJwks,
  signTestToken,
  testInfra,
  testRedisUrl,
  type JwksServer,
  serviceKafkaEnv,
  startTestService,
} from '@surge/testing';
import type { OrderConfig } from '../../src/config';
import { orderService } from '../../src/service';
import { startPaymentStub, startProductStub, type PaymentStub, type ProductStub } from './upstream-stubs';

export interface OrderHarness {
  url: string;
  /** The admin listener: readiness details, /metrics, /_control. */
  adminUrl: string;
  config: OrderConfig;
  product: ProductStub;
  payment: PaymentStub;
  /** The user service's stand-in: JWKS and the service token endpoint (tokenRequests). */
  issuer: JwksServer;
  /** A real RS256 token for a new customer (or the given user / role). */
  token(options?: { userId?: string; role?: 'customer' | 'admin' }): { token: string; userId: string };
  query<R extends Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
}

/** The real order service on port 0, real Postgres/Redis/Kafka, stubbed neighbours. */
export async function startOrderHarness(overrides: Record<string, string> = {}): Promise<OrderHarness> {
  const infra = testInfra();
  const keys = createTestKeyPair();
  const jwks: JwksServer = await serveJwks([keys]);
  const product = await startProductStub();
  const payment = await startPaymentStub();
  // A database of this file's own: its recovery worker must see only its own orders.
  const database = await createScratchDatabase('surge_order_test');
  // For the test's own queries, on the database the service is given (an override may differ).
  const db = new Client({ connectionString: overrides.DATABASE_URL ?? database.url });
  const service = await startTestService(
    orderService,
    {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl('order'),
      KAFKA_BROKERS: infra.kafkaBrokers,
      ...serviceKafkaEnv('order'),
      USER_SERVICE_URL: jwks.url,
      PRODUCT_SERVICE_URL: product.url,
      PAYMENT_SERVICE_URL: payment.url,
      // Long enough for a charge to the in-process stub on a loaded machine (a charge that
      // ran over answered 202 where the test expected 201); files about the timeout set less.
      PAYMENT_TIMEOUT_MS: '2000',
      WORKER_INTERVAL_MS: '100',
      WORKER_LEASE_SECONDS: '1',
      PAYMENT_RETRY_BASE_MS: '50',
      PAYMENT_RETRY_MAX_MS: '200',
      // Outages in these tests last seconds; a breaker open for the default 30 s would outlast them.
      UPSTREAM_BREAKER_RESET_MS: '300',
      SHUTDOWN_GRACE_MS: '500',
      ...overrides,
    },
    {
      alsoStop: [
        () => db.end(),
        () => Promise.all([product.close(), payment.close(), jwks.close()]),
        () => database.drop(),
      ],
    },
  );
  await db.connect();
  return {
    url: service.url,
    adminUrl: service.adminUrl,
    config: service.config,
    product,
    payment,
    issuer: jwks,
    token(options = {}) {
      const userId = options.userId ?? randomUUID();
      return { userId, token: signTestToken(keys, { userId, role: options.role ?? 'customer' }) };
    },
    async query(sql, values) {
      return (await db.query(sql, values)).rows;
    },
    stop: () => service.stop(),
  };
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  harness: OrderHarness,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${harness.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export const address = {
  name: 'Ada Lovelace',
  line1: '12 Analytical St',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

export function checkoutBody(
  items: Array<{ productId: string; quantity: number }> | undefined,
  token = 'tok_visa',
) {
  return { ...(items ? { items } : {}), shippingAddress: address, payment: { token } };
}

export function placeOrder(harness: OrderHarness, token: string, body: unknown, key: string = randomUUID()) {
  return call<Record<string, unknown> & { id: string; status: string; orderId?: string }>(
    harness,
    'POST',
    '/api/orders',
    {
      token,
      body,
      headers: { 'idempotency-key': key },
    },
  );
}
