import { AppError } from '@surge/errors';
import { within, type Redis } from '@surge/redis';
import type { LoginAttemptHistory, LoginAttemptStore, LoginThrottlePolicy } from '../domain/login-throttle';

/** How long a prefix's failures are remembered after its last one. */
const PREFIX_MEMORY_MS = 24 * 60 * 60_000;
/** How long a network where the account signed in stays exempt from the account cap. */
const KNOWN_GOOD_MEMORY_MS = 30 * 24 * 60 * 60_000;

/**
 * Login attempt counters in Redis (the service's client prefixes every key with
 * `user:`). Keys hold an account key (a hash of the normalised email, never the email).
 * Every failure to reach Redis becomes DEPENDENCY_UNAVAILABLE (503 with Retry-After): a
 * login without its throttle would be a credential-stuffing window, so it fails closed.
 */
export function createLoginAttemptStore(redis: Redis, timeoutMs: number): LoginAttemptStore {
  const guarded = <T>(work: () => Promise<T>) => failClosed(work, timeoutMs);
  const prefixKey = (account: string, prefix: string) => `login:fail:${account}:${prefix}`;
  const accountKey = (account: string) => `login:fail:${account}`;
  const knownKey = (account: string) => `login:ok:${account}`;
  return {
    history: (account, prefix) =>
      guarded(async () => {
        const [[, fields], [, count], [, ttl], [, known]] = (await redis
          .multi()
          .hgetall(prefixKey(account, prefix))
          .get(accountKey(account))
          .pttl(accountKey(account))
          .sismember(knownKey(account), prefix)
          .exec()) as [
          [unknown, Record<string, string>],
          [unknown, string | null],
          [unknown, number],
          [unknown, number],
        ];
        const history: LoginAttemptHistory = {
          prefixFailures: Number(fields.n ?? 0),
          prefixLastFailureAt: fields.last === undefined ? undefined : Number(fields.last),
          accountFailures: Number(count ?? 0),
          accountWindowEndsAt: ttl > 0 ? Date.now() + ttl : undefined,
          prefixKnownGood: known === 1,
        };
        return history;
      }),
    recordFailure: (account, prefix, policy: LoginThrottlePolicy) =>
      guarded(async () => {
        const key = prefixKey(account, prefix);
        const results = await redis
          .multi()
          .hincrby(key, 'n', 1)
          .hset(key, 'last', String(Date.now()))
          .pexpire(key, PREFIX_MEMORY_MS)
          .incr(accountKey(account))
          // NX: the window starts at the first failure and is not pushed back by later ones.
          .pexpire(accountKey(account), policy.accountWindowMs, 'NX')
          .exec();
        const failed = results?.find(([error]) => error);
        if (failed) throw failed[0];
      }),
    recordSuccess: (account, prefix) =>
      guarded(async () => {
        await redis
          .multi()
          .del(prefixKey(account, prefix))
          .sadd(knownKey(account), prefix)
          .pexpire(knownKey(account), KNOWN_GOOD_MEMORY_MS)
          .exec();
      }),
  };
}

/** A throttle check may not hold a login for longer than `timeoutMs`: past it, it fails closed. */
async function failClosed<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
  try {
    return await within(work(), timeoutMs, 'the login throttle store');
  } catch (error) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', 'Sign-in is unavailable; try again shortly', {
      cause: error,
      retriable: true,
      retryAfterSeconds: 5,
    });
  }
}
