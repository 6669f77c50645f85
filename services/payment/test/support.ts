import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { providerService, type ProviderConfig } from '@surge/payment-provider';
import {
  createTestKeyPair,
  provisionTestDatabase,
  serveJwks,
  signTestServiceToken,
  signTestToken,
  testInfra,
  type JwksServer,
  type TestKeyPair,
  type TestTokenOptions,
  serviceKafkaEnv,
  startTestService,
} from '@surge/testing';
import type { PaymentConfig } from '../src/config';
import { paymentService } from '../src/service';

export interface PaymentTestEnv {
  url: string;
  adminUrl: string;
  providerUrl: string;
  providerAdminUrl: string;
  config: PaymentConfig;
  providerConfig: ProviderConfig;
  /** The payment service's database and the simulator's, for assertions. */
  db: Pool;
  providerDb: Pool;
  token(options?: TestTokenOptions): string;
  /** A service token of order for payment: what the internal routes take from their one caller. */
  orderToken: string;
  /** A service token of `service` for `audience` (default payment), signed by the issuer's key. */
  serviceToken(service: string, audience?: string): string;
  stop(): Promise<void>;
}

/**
 * The real payment service and the provider simulator, both in-process on port 0,
 * against their test databases, the real Kafka, and a JWKS server for real tokens.
 * The reconciler is off unless a test turns it on (it would race the assertions).
 */
/**
 * A provider timeout for files that inject latency, and the latency that outlasts it. The
 * timeout leaves room for a healthy charge on a loaded machine (the calls expected to
 * succeed share it); the latency is well past it.
 */
export const SHORT_PROVIDER_TIMEOUT = { PAYMENT_PROVIDER_TIMEOUT_MS: '2500' };
export const LATENCY_BEYOND_TIMEOUT_MS = 6_000;

export async function startPaymentTestEnv(overrides: Record<string, string> = {}): Promise<PaymentTestEnv> {
  const provider = await startTestService(providerService, {
    DATABASE_URL: await provisionTestDatabase('surge_provider_test'),
    SHUTDOWN_GRACE_MS: '500',
    // The tests make the provider fail through /_control/faults (development only).
    FAULT_INJECTION: 'true',
  });
  const keys: TestKeyPair = createTestKeyPair();
  const jwks: JwksServer = await serveJwks([keys]);
  const service = await startTestService(
    paymentService,
    {
      DATABASE_URL: await provisionTestDatabase('surge_payment_test'),
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      ...serviceKafkaEnv('payment'),
      USER_SERVICE_URL: jwks.url,
      PAYMENT_PROVIDER_URL: provider.url,
      // Roomy: on a busy CI machine a healthy capture took over 500 ms, answered 504 and the
      // test waiting for its event timed out. Files that inject latency set their own.
      PAYMENT_PROVIDER_TIMEOUT_MS: '5000',
      RECONCILER: 'false',
      ...overrides,
    },
    {
      alsoStop: [() => provider.stop(), () => jwks.close()],
    },
  );
  const db = new Pool({ connectionString: service.config.DATABASE_URL, max: 2 });
  const providerDb = new Pool({ connectionString: provider.config.DATABASE_URL, max: 2 });
  return {
    url: service.url,
    adminUrl: service.adminUrl,
    providerUrl: provider.url,
    providerAdminUrl: provider.adminUrl,
    config: service.config,
    providerConfig: provider.config,
    db,
    providerDb,
    token: (options) => signTestToken(keys, options),
    orderToken: signTestServiceToken(keys, { service: 'order', audience: 'payment' }),
    serviceToken: (name, audience = 'payment') => signTestServiceToken(keys, { service: name, audience }),
    async stop() {
      await service.stop();
      await db.end();
      await providerDb.end();
    },
  };
}

/** JSON calls to the service under test (shared across services' tests). */
import { callJson as call, type JsonResponse } from '@surge/testing';

export { call, type JsonResponse };

export interface ChargeRequest {
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  token: string;
}

/** A charge for a fresh order; override any field. */
export function newChargeRequest(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    orderId: randomUUID(),
    userId: randomUUID(),
    amountCents: 1999,
    currency: 'USD',
    token: 'tok_visa',
    ...overrides,
  };
}

/** POST /internal/payments/charge with the order id as the Idempotency-Key, as the order service calls it. */
export function charge(env: PaymentTestEnv, request: ChargeRequest) {
  return call(env.url, 'POST', '/internal/payments/charge', {
    token: env.orderToken,
    body: request,
    headers: { 'idempotency-key': request.orderId },
  });
}

export function cancel(env: PaymentTestEnv, orderId: string) {
  return call(env.url, 'POST', '/internal/payments/cancel', { token: env.orderToken, body: { orderId } });
}

export function refund(env: PaymentTestEnv, orderId: string) {
  return call(env.url, 'POST', '/internal/payments/refund', { token: env.orderToken, body: { orderId } });
}

export async function setFaults(env: PaymentTestEnv, faults: Record<string, unknown>): Promise<void> {
  const res = await call(env.providerAdminUrl, 'PUT', '/_control/faults', { body: faults });
  if (res.status !== 200) throw new Error(`could not set faults: ${res.status}`);
}

export async function clearFaults(env: PaymentTestEnv): Promise<void> {
  await call(env.providerAdminUrl, 'DELETE', '/_control/faults');
}
