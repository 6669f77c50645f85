import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningServer } from '@surge/http-kit';
import { createRedis } from '@surge/redis';
import {
  provisionTestDatabase,
  serviceKafkaEnv,
  startTestService,
  testInfra,
  testRedisUrl,
  type TestService,
} from '@surge/testing';
import type { UserConfig } from '../src/config';
import { userService } from '../src/service';

export type TestUserService = TestService<UserConfig, RunningServer>;

/** The real user service on port 0 against the test database, Redis and Kafka. */
export async function startTestUserService(overrides: Record<string, string> = {}): Promise<TestUserService> {
  return startTestService(userService, {
    DATABASE_URL: await provisionTestDatabase('surge_user_test'),
    REDIS_URL: testRedisUrl('user'),
    // Production's 500 ms assumes a machine with room; twenty test projects at once on two
    // cores can hold a throttle check longer, and a login then fails closed (503).
    LOGIN_THROTTLE_TIMEOUT_MS: '2000',
    KAFKA_BROKERS: testInfra().kafkaBrokers,
    ...serviceKafkaEnv('user'),
    DEV_KEYS_DIR: mkdtempSync(path.join(tmpdir(), 'surge-user-keys-')),
    // Lower than production's cost: tests check behaviour, and the hash format records the cost.
    PASSWORD_HASH_COST: '12',
    ...overrides,
  });
}

/**
 * The user service's Redis user with a password that is not a published development one,
 * for starts with NODE_ENV=production (parseConfig refuses `user-redis-dev-password`).
 * Added beside the development password on the test Redis; the next global setup's
 * provisioning resets the user to its development password alone.
 */
export async function productionRedisUrl(): Promise<string> {
  const password = 'user-redis-production-test-7Kq2vX9w';
  const admin = createRedis({ url: testInfra().redisUrl });
  try {
    await admin.call('ACL', 'SETUSER', 'user', `>${password}`);
  } finally {
    admin.disconnect();
  }
  const url = new URL(testRedisUrl('user'));
  url.password = password;
  return url.toString();
}

/** JSON calls to the service under test (shared across services' tests). */
import { callJson as call, type JsonResponse } from '@surge/testing';

export { call, type JsonResponse };

export async function registerAndLogin(base: string, email: string, password = 'correct horse battery') {
  const registered = await call(base, 'POST', '/api/auth/register', {
    body: { email, password, name: 'Test User' },
  });
  const login = await call<{ accessToken: string; refreshToken: string }>(base, 'POST', '/api/auth/login', {
    body: { email, password },
  });
  return { user: registered.body, tokens: login.body };
}
