import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uniqueSuffix } from '@surge/testing';
import { ONE_CLIENT_ADDRESS_LIMITS } from '../../src/chaos/stack-process';

/** The admin a test's stack seeds and the test logs in as: said once, given to both. */
export const TEST_ADMIN = { email: 'admin@surge.local', password: 'surge-admin-dev' };

const SERVICES = [
  'GATEWAY',
  'USER',
  'PRODUCT',
  'ORDER',
  'PAYMENT',
  'NOTIFICATION',
  'STOREFRONT',
  'PAYMENT_PROVIDER',
];

/**
 * Everything a test's stack must not take from the caller's shell, set to what the test
 * relies on. A stack inherits the environment it is started from: with ADMIN_PASSWORD
 * exported in the shell, the stack seeded that password while the test logged in with
 * the development default, and `npm test` failed. Likewise CPU quotas, network faults,
 * production mode. Its own state folder keeps its run records, logs and keys apart from
 * a stack the developer runs in the same clone; the infrastructure comes from the jest
 * global setup's variables (SURGE_PG_ADMIN_URL, REDIS_URL, ...).
 */
export function testStackEnv(ports: Record<string, number>, label: string): Record<string, string> {
  const namespace = `${label}-${uniqueSuffix()}`;
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    // All traffic comes from one address here (this machine): the per-address limits on
    // logins, anonymous requests and refused tokens must not apply.
    ...ONE_CLIENT_ADDRESS_LIMITS,
    // Production's 250 ms for a rate-limit count assumes a machine with room; beside three
    // other stacks and the test files on two cores a count can wait longer, and a login
    // then fails closed (503, as a unit-test run on CI showed). These tests follow flows.
    RATE_LIMIT_REDIS_TIMEOUT_MS: '2000',
    LOGIN_THROTTLE_TIMEOUT_MS: '2000',
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // These tests follow flows, not hashing cost (npm run bench -- login-cost measures that).
    // At the production cost every sign-up and login derives 128 MiB with at most two at
    // once; on a busy 2-core CI machine running three test files beside the stack, a queued
    // sign-up outlasted the 5 s edge timeout and the browser test failed for that alone.
    PASSWORD_HASH_COST: '14',
    SURGE_NETWORK_FAULTS: 'off',
    // Redis counters and caches of its own. The stack tests run side by side on one Redis:
    // the fuzzer's stack sends hundreds of refused tokens from 127.0.0.1, and with shared
    // counters the journey's gateway, on the same address, answered its admin 429 for the
    // rest of the minute (a red CI run). The fuzzer's product cache, over databases of its
    // own, must not answer for another stack's catalog either.
    RATE_LIMIT_KEY_PREFIX: `rl:${namespace}:`,
    REDIS_KEY_PREFIX: `product:${namespace}:`,
    SURGE_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), `surge-${label}-`)),
  };
  for (const name of SERVICES) env[`SURGE_${name}_CPUS`] = '';
  for (const [name, port] of Object.entries(ports)) env[`SURGE_${name}_PORT`] = String(port);
  return env;
}

/** SURGE_E2E_PORT_OFFSET moves every port, so two clones can run the stack tests at once. */
export function offsetPorts(base: Record<string, number>): Record<string, number> {
  const offset = Number(process.env.SURGE_E2E_PORT_OFFSET ?? 0);
  return Object.fromEntries(Object.entries(base).map(([name, port]) => [name, port + offset]));
}
