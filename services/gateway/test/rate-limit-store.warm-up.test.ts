import { createHash } from 'node:crypto';
import { createRedis, type Redis } from '@surge/redis';
import { testInfra, testRedisUrl, uniqueSuffix } from '@surge/testing';
import { RATE_LIMIT_SCRIPTS, RedisRateLimitStore } from '../src/data-access/redis-rate-limit-store';
import { closedPort } from './support/http';

const clients: Redis[] = [];
const redis = (url: string) => {
  const client = createRedis({ url, keyPrefix: 'gateway:' });
  clients.push(client);
  return client;
};
const storeOn = (client: Redis) =>
  new RedisRateLimitStore(client, { keyPrefix: `rl-test:${uniqueSuffix()}:`, timeoutMs: 2_000 });

afterAll(async () => {
  for (const client of clients) client.disconnect();
});

describe('warming the rate-limit store up at start', () => {
  it('waits for the connection and leaves every script loaded in Redis', async () => {
    const client = redis(testRedisUrl('gateway'));
    const store = storeOn(client);

    await store.warmUp(3_000);

    expect(client.status).toBe('ready');
    const admin = redis(testInfra().redisUrl);
    const shas = RATE_LIMIT_SCRIPTS.map((lua) => createHash('sha1').update(lua).digest('hex'));
    expect(await admin.script('EXISTS', ...shas)).toEqual(shas.map(() => 1));
    // And the first count after it is a plain count, not a failure to fail open on.
    await expect(store.hit('warm-up', 60_000)).resolves.toMatchObject({ count: 1 });
  });

  it('gives up at once when Redis refuses the connection, so that the gateway still starts', async () => {
    const store = storeOn(redis(`redis://127.0.0.1:${await closedPort()}`));

    await expect(store.warmUp(30_000)).rejects.toThrow(/ECONNREFUSED/);
  });
});
