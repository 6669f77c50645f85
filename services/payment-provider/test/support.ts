import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { RunningServer } from '@surge/http-kit';
import { provisionTestDatabase, startTestService, type TestService } from '@surge/testing';
import type { ProviderConfig } from '../src/config';
import { providerService } from '../src/service';

export type TestProvider = TestService<ProviderConfig, RunningServer>;

/** The real simulator on port 0 against its test database. */
export async function startTestProvider(overrides: Record<string, string> = {}): Promise<TestProvider> {
  return startTestService(providerService, {
    DATABASE_URL: await provisionTestDatabase('surge_provider_test'),
    // Hung requests are cut after this when a test stops the simulator.
    SHUTDOWN_GRACE_MS: '500',
    // Tests drive /_control/faults (development only; never with NODE_ENV=production).
    FAULT_INJECTION: 'true',
    ...overrides,
  });
}

/** JSON calls to the service under test (shared across services' tests). */
import { callJson as call, type JsonResponse } from '@surge/testing';

export { call, type JsonResponse };

/** A charge request with a fresh idempotency key; override any part. */
export function newCharge(
  overrides: { key?: string; amountCents?: number; currency?: string; token?: string } = {},
) {
  return {
    key: overrides.key ?? `test-${randomUUID()}`,
    body: {
      amountCents: overrides.amountCents ?? 1999,
      currency: overrides.currency ?? 'USD',
      token: overrides.token ?? 'tok_visa',
    },
  };
}

export function postCharge(
  provider: TestProvider,
  charge: ReturnType<typeof newCharge>,
  options: { signal?: AbortSignal } = {},
) {
  return call(provider.url, 'POST', '/v1/charges', {
    body: charge.body,
    headers: { 'idempotency-key': charge.key },
    ...options,
  });
}

/** The simulator's rows for a key, read straight from its database. */
export async function chargeRows(
  provider: TestProvider,
  key: string,
): Promise<Array<Record<string, unknown>>> {
  const db = new Client({ connectionString: provider.config.DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query('SELECT id, outcome, refund_id FROM charges WHERE idempotency_key = $1', [
      key,
    ]);
    return rows;
  } finally {
    await db.end();
  }
}

export async function setFaults(provider: TestProvider, faults: Record<string, unknown>): Promise<void> {
  const res = await call(provider.adminUrl, 'PUT', '/_control/faults', { body: faults });
  if (res.status !== 200) throw new Error(`could not set faults: ${res.status}`);
}

export async function clearFaults(provider: TestProvider): Promise<void> {
  await call(provider.adminUrl, 'DELETE', '/_control/faults');
}
