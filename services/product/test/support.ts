import { Client } from 'pg';
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
  startTestService,
  type TestService,
} from '@surge/testing';
import type { ProductConfig } from '../src/config';
import { productService } from '../src/service';

export interface TestProductService extends TestService<ProductConfig, RunningServer> {
  adminToken: string;
  customerToken: string;
  /** A service token of order for product: what the internal routes take from their one caller. */
  orderToken: string;
  /** A service token of `service` for `audience` (default product), signed by the issuer's key. */
  serviceToken(service: string, audience?: string): string;
}

/**
 * The real product service on port 0 against the shared test database, Redis (with a
 * key prefix of its own, so its cache starts cold) and Kafka, verifying real RS256
 * tokens against a JWKS server standing in for the user service.
 */
export async function startTestProductService(
  overrides: Record<string, string> = {},
): Promise<TestProductService> {
  const keys = createTestKeyPair();
  const jwks = await serveJwks([keys]);
  const service = await startTestService(
    productService,
    {
      DATABASE_URL: await provisionTestDatabase('surge_product_test'),
      REDIS_URL: testRedisUrl('product'),
      REDIS_KEY_PREFIX: `product:test-${uniqueSuffix()}:`,
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      ...serviceKafkaEnv('product'),
      USER_SERVICE_URL: jwks.url,
      // Production gives the cache 150 ms before reading the database instead; on a test
      // machine busy with parallel suites that fires spuriously, and the cache tests assert
      // exact load counts.
      CACHE_TIMEOUT_MS: '2000',
      ...overrides,
    },
    { alsoStop: [() => jwks.close()] },
  );
  return {
    ...service,
    adminToken: signTestToken(keys, { role: 'admin' }),
    customerToken: signTestToken(keys, { role: 'customer' }),
    orderToken: signTestServiceToken(keys, { service: 'order', audience: 'product' }),
    serviceToken: (name, audience = 'product') => signTestServiceToken(keys, { service: name, audience }),
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
