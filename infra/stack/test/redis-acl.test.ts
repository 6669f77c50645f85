import net from 'node:net';

import Redis from 'ioredis';
import { testInfra, testRedisUrl, uniqueSuffix, type RedisService } from '@surge/testing';

import { REDIS_SERVICE_USERS } from '../src/native/redis-acl';

/**
 * The Redis the tests run against, attacked from inside the network as a compromised
 * service would: each service's own user (what the stack and the tests give it) may
 * touch its own keys only, no unauthenticated client gets anything, and no service user
 * can wipe, list or reconfigure the server (docs/security.md, "Redis").
 */
const SERVICES = REDIS_SERVICE_USERS.map((user) => user.name as RedisService);
const clients: Redis[] = [];

function connect(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

/**
 * Sends RESP commands on a bare socket and returns the raw replies: what any client (or
 * `nc`) gets, with no client library deciding what to do about an error.
 */
async function rawReplies(url: string, commands: string[][]): Promise<string[]> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port || 6379), hostname);
  const encode = (args: string[]) =>
    `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(commands.map(encode).join(''));
    let buffer = '';
    for await (const chunk of socket) {
      buffer += String(chunk);
      const lines = buffer.split('\r\n').filter(Boolean);
      if (lines.length >= commands.length) return lines.slice(0, commands.length);
    }
    return buffer.split('\r\n').filter(Boolean);
  } finally {
    socket.destroy();
  }
}

afterAll(() => {
  for (const client of clients) client.disconnect();
});

describe('Redis ACL users', () => {
  it('refuses a client that did not log in, whatever it asks (NOAUTH)', async () => {
    const replies = await rawReplies(testInfra().redisUrl, [
      ['GET', 'user:profile:anyone'],
      ['SET', 'order:cart:x', '1'],
      ['KEYS', '*'],
      ['FLUSHALL'],
    ]);
    expect(replies).toHaveLength(4);
    for (const reply of replies) expect(reply).toMatch(/^-NOAUTH/);
  });

  it('refuses a service user with a wrong password', async () => {
    const replies = await rawReplies(testRedisUrl('order'), [
      ['AUTH', 'order', 'guessed'],
      ['AUTH', 'default', 'guessed'],
      ['GET', 'order:cart:x'],
    ]);
    expect(replies[0]).toMatch(/^-WRONGPASS/);
    expect(replies[1]).toMatch(/^-WRONGPASS/);
    expect(replies[2]).toMatch(/^-NOAUTH/);
  });

  it.each(SERVICES)('lets %s read and write its own keys, with the commands it uses', async (service) => {
    const redis = connect(testRedisUrl(service));
    const key = `${service}:acl-test:${uniqueSuffix()}`;
    await redis.multi().set(key, '1', 'EX', 60).incr(key).exec();
    expect(await redis.get(key)).toBe('2');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await redis.del(key);
  });

  it.each(SERVICES)('refuses %s every other service’s keys (NOPERM)', async (service) => {
    const redis = connect(testRedisUrl(service));
    for (const other of SERVICES.filter((name) => name !== service)) {
      const key = `${other}:acl-test:${uniqueSuffix()}`;
      await expect(redis.get(key)).rejects.toThrow(/NOPERM/);
      await expect(redis.set(key, 'stolen')).rejects.toThrow(/NOPERM/);
      await expect(redis.del(key)).rejects.toThrow(/NOPERM/);
    }
    // Keys outside any service's prefix (the old `gw:rl:` counters, say) too.
    await expect(redis.get('gw:rl:ip:127.0.0.1')).rejects.toThrow(/NOPERM/);
  });

  it.each(SERVICES)('refuses %s the commands that wipe, list or reconfigure the server', async (service) => {
    const redis = connect(testRedisUrl(service));
    for (const command of [
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['KEYS', '*'],
      ['SCAN', '0'],
      ['RANDOMKEY'],
      ['CONFIG', 'GET', 'requirepass'],
      ['ACL', 'LIST'],
      ['CLIENT', 'LIST'],
      ['CONFIG', 'SET', 'appendonly', 'no'],
      ['SAVE'],
      ['SWAPDB', '0', '1'],
      ['PUBLISH', 'anything', 'x'],
    ])
      await expect(redis.call(command[0]!, ...command.slice(1))).rejects.toThrow(/NOPERM/);
  });

  it('refuses a script of one service that names another service’s key', async () => {
    const gateway = connect(testRedisUrl('gateway'));
    const stolen = `order:cart:${uniqueSuffix()}`;
    await expect(gateway.eval("return redis.call('GET', KEYS[1])", 1, stolen)).rejects.toThrow(
      /NOPERM|No permissions/,
    );
    // Scripts may not reach around the declared keys either: the ACL check runs per call.
    await expect(gateway.eval("return redis.call('GET', ARGV[1])", 0, stolen)).rejects.toThrow(
      /NOPERM|can't access/i,
    );
  });

  it('gives scripting only to the services that use it', async () => {
    const user = connect(testRedisUrl('user'));
    await expect(user.eval('return 1', 0)).rejects.toThrow(/NOPERM/);
    const product = connect(testRedisUrl('product'));
    expect(await product.eval('return 1', 0)).toBe(1);
    await expect(product.call('SCRIPT', 'FLUSH')).rejects.toThrow(/NOPERM/);
    await expect(product.call('FUNCTION', 'FLUSH')).rejects.toThrow(/NOPERM/);
  });
});
