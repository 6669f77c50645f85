import Redis from 'ioredis';
import type { Logger } from '@surge/logger';

export type { Redis } from 'ioredis';

export interface CreateRedisOptions {
  url: string;
  /** Every key this client writes starts with it, so services and tests never collide. */
  keyPrefix?: string;
  logger?: Logger;
}

/**
 * ioredis with settings for a service that must keep answering when Redis blips:
 * commands fail fast instead of queueing forever while disconnected, and reconnects
 * back off up to two seconds.
 *
 * Auto-pipelining: the commands that requests issue in the same turn of the event loop go
 * to Redis in one write. Under load that is many requests' commands per write; on a
 * loopback connection each write also pays the receiving side's network work, which was
 * the gateway's largest single cost (11 % of its CPU in sendCommand's socket writes,
 * docs/results/hot-path.md). Idle, a command waits for nothing but the current turn.
 */
export function createRedis(options: CreateRedisOptions): Redis {
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? '',
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 3_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    lazyConnect: false,
    enableAutoPipelining: true,
  });
  let lastReport = 0;
  client.on('error', (error) => {
    // Reconnect attempts repeat the same error; one line every 10 s is enough.
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      options.logger?.warn({ err: error }, 'redis connection problem');
    }
  });
  return client;
}

export async function pingRedis(client: Redis): Promise<void> {
  const answer = await client.ping();
  if (answer !== 'PONG') throw new Error(`unexpected redis PING answer: ${answer}`);
}
