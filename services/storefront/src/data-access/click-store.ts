import type { Redis } from '@surge/redis';

/**
 * The trace ids of form posts the browser started (traced) in the last two minutes,
 * under the sessions' prefix. A browser span is exported only for a trace id found
 * here, once: the public span endpoint cannot be used to write made-up traces into
 * the collector, only to complete the click it belongs to.
 */
export interface ClickStore {
  remember(traceId: string): Promise<void>;
  /** True once per remembered trace id. */
  take(traceId: string): Promise<boolean>;
}

const CLICK_TTL_SECONDS = 120;

export function createClickStore(redis: Redis, options: { prefix: string }): ClickStore {
  const key = (traceId: string) => `${options.prefix}click:${traceId}`;
  return {
    async remember(traceId) {
      await redis.set(key(traceId), '1', 'EX', CLICK_TTL_SECONDS);
    },
    async take(traceId) {
      return (await redis.getdel(key(traceId))) !== null;
    },
  };
}
