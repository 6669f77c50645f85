import { once } from 'node:events';
import { within, type Redis } from '@surge/redis';
import type { WindowHit } from '../domain/rate-limit-policy';

/**
 * A fixed-window counter, atomic in one script: INCR, and start the window's expiry
 * on the first hit (or repair a counter that somehow lost its TTL). Every gateway
 * instance shares it, so limits hold across replicas. One key per call keeps it
 * usable on Redis Cluster.
 */
const FIXED_WINDOW_HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

const COMMAND = 'gatewayRateLimitHit';

/** The count so far and the time left in its window, without counting (0, 0 when none). */
const FIXED_WINDOW_PEEK = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {count, ttl}
`;

const PEEK_COMMAND = 'gatewayRateLimitPeek';

/**
 * The bad-token check and the request's own limit in one round trip, for a request whose
 * token was verified before (its principal is known without verification work): the
 * client address's refused-token count (KEYS[1]) is read first, and only when it is under
 * ARGV[2] is the request counted against its own window (KEYS[2], as FIXED_WINDOW_HIT).
 * Same outcome as PEEK then HIT, one Redis round trip instead of two. Two keys in one
 * script: on a Redis Cluster they would need one hash slot; Surge runs one Redis.
 */
const GATED_WINDOW_HIT = `
local bad = tonumber(redis.call('GET', KEYS[1]) or '0')
if bad >= tonumber(ARGV[2]) then
  local badTtl = redis.call('PTTL', KEYS[1])
  if badTtl < 0 then badTtl = 0 end
  return {1, bad, badTtl}
end
local count = redis.call('INCR', KEYS[2])
local ttl = redis.call('PTTL', KEYS[2])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {0, count, ttl}
`;

const GATED_COMMAND = 'gatewayRateLimitGatedHit';

/** How the store's timeouts name it. */
const STORE = 'the rate-limit store';

/** Every script the store runs, loaded by warmUp. */
export const RATE_LIMIT_SCRIPTS = [FIXED_WINDOW_HIT, FIXED_WINDOW_PEEK, GATED_WINDOW_HIT];

/** ioredis adds defined commands at run time; this is the shape it adds. */
type WithHitCommand = Redis & {
  [COMMAND](key: string, windowMs: number): Promise<[number, number]>;
  [PEEK_COMMAND](key: string): Promise<[number, number]>;
  [GATED_COMMAND](
    gateKey: string,
    key: string,
    windowMs: number,
    gateMax: number,
  ): Promise<[number, number, number]>;
};

/** Refused unread: the gate's count had reached its max. Else the request's own count. */
export type GatedHit = { blocked: true; gate: WindowHit } | { blocked: false; hit: WindowHit };

export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowHit>;
  /** The window's count without adding to it. */
  peek(key: string): Promise<WindowHit>;
  /** `peek(gateKey)`, and when its count is under `gateMax`, `hit(key, windowMs)`: in one round trip. */
  hitUnlessGated(gateKey: string, gateMax: number, key: string, windowMs: number): Promise<GatedHit>;
}

export interface RedisRateLimitStoreOptions {
  /** Prepended to every counter key after the client's `gateway:` (`rl:` in production, unique per test file). */
  keyPrefix: string;
  /** A rate-limit check may not slow a request down by more than this. */
  timeoutMs: number;
}

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: WithHitCommand;

  constructor(
    redis: Redis,
    private readonly options: RedisRateLimitStoreOptions,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once when the script is not cached.
    redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: FIXED_WINDOW_HIT });
    redis.defineCommand(PEEK_COMMAND, { numberOfKeys: 1, lua: FIXED_WINDOW_PEEK });
    redis.defineCommand(GATED_COMMAND, { numberOfKeys: 2, lua: GATED_WINDOW_HIT });
    this.redis = redis as WithHitCommand;
  }

  /**
   * Waits for the connection and loads the scripts, at most `waitMs`: without it the first
   * requests after a start pay the connect and an EVALSHA that falls back to EVAL, and on
   * a busy machine that passes `timeoutMs`, so the first sign-in after a start answered
   * 503 (credentials fail closed). Rejects when Redis is unreachable or slow; the caller
   * starts anyway, as the limits fail open (and sign-in closed) by design.
   */
  async warmUp(waitMs: number): Promise<void> {
    const redis = this.redis;
    const deadline = Date.now() + waitMs;
    // `once` rejects on an 'error' event: a refused connection does not wait out `waitMs`.
    if (redis.status !== 'ready') await once(redis, 'ready', { signal: AbortSignal.timeout(waitMs) });
    const loads = Promise.all(RATE_LIMIT_SCRIPTS.map((lua) => redis.script('LOAD', lua)));
    await within(loads, Math.max(1, deadline - Date.now()), STORE);
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    const [count, resetMs] = await within(
      this.redis[COMMAND](`${this.options.keyPrefix}${key}`, windowMs),
      this.options.timeoutMs,
      STORE,
    );
    return { count, resetMs };
  }

  async peek(key: string): Promise<WindowHit> {
    const [count, resetMs] = await within(
      this.redis[PEEK_COMMAND](`${this.options.keyPrefix}${key}`),
      this.options.timeoutMs,
      STORE,
    );
    return { count, resetMs };
  }

  async hitUnlessGated(gateKey: string, gateMax: number, key: string, windowMs: number): Promise<GatedHit> {
    const prefix = this.options.keyPrefix;
    const [blocked, count, resetMs] = await within(
      this.redis[GATED_COMMAND](`${prefix}${gateKey}`, `${prefix}${key}`, windowMs, gateMax),
      this.options.timeoutMs,
      STORE,
    );
    return blocked === 1
      ? { blocked: true, gate: { count, resetMs } }
      : { blocked: false, hit: { count, resetMs } };
  }
}
