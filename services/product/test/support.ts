import { Client } from 'pg';
import { createLogger } from '@surge/logger';
import type { RunningServer } from '@surge/http-kit';
import {
  createTestKeyPair,
  provisionTestDatabase,
  serveJwks,
  signTestServiceToken,
  signTestToken,
  testInfra,
  testRedisUrl,
  uniqueSuffix,
  serviceKafkaEnv,
} from '@surge/testing';
import { loadConfig, type ProductConfig } from '../src/config';
import { startProductService } from '../src/service';

export interface TestProductService {
  url: string;
  /** The admin listener: readiness details, /metrics, /_control. */
  adminUrl: string;
  config: ProductConfig;
  running: RunningServer;
  adminToken: string;
  customerToken: string;
  /** A service token of order for product: what the internal routes take from their one caller. */
  orderToken: string;
  /** A service token of `service` for `audience` (default product), signed by the issuer's key. */
  serviceToken(service: string, audience?: string): string;
  stop(): Promise<void>;
}

/**
 * The real product service on port 0 against the shared test database, Redis (with a
 * key prefix of its own, so its cache starts cold) and Kafka, verifying real RS256
 * tokens against a JWKS server standing in for the user service.
 */
export async function startTestProductService(
  overrides: Record<string, string> = {},
): Promise<TestProductService> {
  const infra = testInfra();
  const keys = createTestKeyPair();
  const jwks = await serveJwks([keys]);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: await provisionTestDatabase('surge_product_test'),
    REDIS_URL: testRedisUrl('product'),
    REDIS_KEY_PREFIX: `product:test-${uniqueSuffix()}:`,
    KAFKA_BROKERS: infra.kafkaBrokers,
    ...serviceKafkaEnv('product'),
    USER_SERVICE_URL: jwks.url,
    SHUTDOWN_GRACE_MS: '1000',
    // Production gives the cache 150 ms before reading the database instead; on a test
    // machine busy with parallel suites that fires spuriously, and the cache tests assert
    // exact load counts.
    CACHE_TIMEOUT_MS: '2000',
    ...overrides,
  });
  const running = await startProductService(config, createLogger({ service: 'product', level: 'silent' }));
  return {
    url: running.url,
    adminUrl: running.adminUrl,
    config,
    running,
    adminToken: signTestToken(keys, { role: 'admin' }),
    customerToken: signTestToken(keys, { role: 'customer' }),
    orderToken: signTestServiceToken(keys, { service: 'order', audience: 'product' }),
    serviceToken: (service, audience = 'product') => signTestServiceToken(keys, { service, audience }),
    stop: async () => {
      await running.stop();
      await jwks.close();
    },
  };
}

/** JSON calls to the service under test (shared across services' tests). */
import { callJson as call, type JsonResponse } from '@surge/testing';

export { call, type JsonResponse };

export interface ProductBody {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  stock: number;
  updatedAt: string;
}

/** A valid create body with a unique sku; override what the test is about. */
export function newProduct(overrides: Partial<Omit<ProductBody, 'id' | 'updatedAt'>> = {}) {
  const suffix = uniqueSuffix();
  return {
    sku: `TEST-${suffix}`,
    name: `Test product ${suffix}`,
    description: 'A product made by a test.',
    category: `test-${suffix}`,
    priceCents: 1_999,
    stock: 10,
    ...overrides,
  };
}

export async function createProduct(
  service: TestProductService,
  overrides: Parameters<typeof newProduct>[0] = {},
): Promise<ProductBody> {
  const res = await call<ProductBody>(service.url, 'POST', '/api/products', {
    token: service.adminToken,
    body: newProduct(overrides),
  });
  if (res.status !== 201)
    throw new Error(`creating a product answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The value of one Prometheus series of the service (0 when absent). */
export async function metricValue(service: TestProductService, name: string, labels: Record<string, string>) {
  const text = await fetch(`${service.adminUrl}/metrics`).then((res) => res.text());
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find((entry) => entry.startsWith(`${name}{`) && wanted.every((label) => entry.includes(label)));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Runs one query against the service's database, for checks the API does not expose. */
export async function queryDb<R extends Record<string, unknown>>(
  service: TestProductService,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new Client({ connectionString: service.config.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}
