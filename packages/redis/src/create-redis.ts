import Redis from 'ioredis';
import type { Logger } from '@surge/logger';

export type { Redis } from 'ioredis';

export interface CreateRedisOptions {
  url: string;
  /** Every key this client writes starts with it, so services and tests never collide. */
  keyPrefix?: string;
  logger?: Logger;
  /**
   * Auto-pipelining: the commands issued in one turn of the event loop go to Redis in one
   * write. It pays where many requests each send a command in the same turn: the gateway's
   * rate-limit scripts (its `sendCommand` went from 12.6 % of its CPU to 1.6 %). It costs
   * where it does not: the product service's cached reads took 289 µs of CPU without it and
   * 353 µs with it, measured side by side (docs/results/hot-path.md). Off unless asked for.
   */
  autoPipelining?: boolean;
}

/**
 * ioredis with settings for a service that must keep answering when Redis blips:
 * commands fail fast instead of queueing forever while disconnected, and reconnects
 * back off up to two seconds.
 */
export function createRedis(options: CreateRedisOptions): Redis {
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? '',
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 3_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    lazyConnect: false,
    enableAutoPipelining: options.autoPipelining ?? false,
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
