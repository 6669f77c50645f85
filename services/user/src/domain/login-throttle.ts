import { isIPv4, isIPv6 } from 'node:net';

/**
 * Per-account login throttling, pure (the counting lives in data-access). Two keys:
 *
 * - account + client address prefix (IPv4 /24, IPv6 /48): a few free failures, then a
 *   back-off that doubles with each failure, capped (15 min by default), so a guesser
 *   from one network slows to a handful of guesses an hour;
 * - account alone: once the account has taken `accountCap` failures in its window
 *   (one hour by default, from the first failure), attempts from any network are refused
 *   until the window ends, except from networks where the account signed in successfully
 *   before. Stops 40 guesses from 40 addresses, which the per-address key alone lets
 *   through.
 *
 * Neither can lock the owner out for good: back-off is capped, the account window ends
 * (at most an hour after the attacker stops), and the owner's usual networks are never
 * refused by the account cap (the owner at home signs in while a botnet hammers the
 * account). What stays open: the owner on a new network during an attack waits for the
 * window. A refused attempt verifies no password and is not counted as a failure.
 */
export interface LoginThrottlePolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  accountCap: number;
  accountWindowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  accountCap: 20,
  accountWindowMs: 60 * 60_000,
};

export interface LoginAttemptHistory {
  /** Failures of this account from this prefix, and when the last one was. */
  prefixFailures: number;
  prefixLastFailureAt: number | undefined;
  /** Failures of this account from anywhere in the current account window, and when it ends. */
  accountFailures: number;
  accountWindowEndsAt: number | undefined;
  /** The account signed in successfully from this prefix before (remembered 30 days). */
  prefixKnownGood: boolean;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function decideLoginAttempt(
  history: LoginAttemptHistory,
  policy: LoginThrottlePolicy,
  now: number,
): ThrottleDecision {
  const waits: number[] = [];
  if (history.prefixFailures >= policy.freeFailures && history.prefixLastFailureAt !== undefined) {
    const delay = backOffMs(history.prefixFailures, policy);
    const elapsed = now - history.prefixLastFailureAt;
    if (elapsed < delay) waits.push(delay - elapsed);
  }
  if (
    history.accountFailures >= policy.accountCap &&
    !history.prefixKnownGood &&
    history.accountWindowEndsAt !== undefined &&
    history.accountWindowEndsAt > now
  )
    waits.push(history.accountWindowEndsAt - now);
  if (waits.length === 0) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
}

/** 1 s after the free failures, then 2, 4, 8 ... up to the cap. */
export function backOffMs(failures: number, policy: LoginThrottlePolicy): number {
  const steps = Math.max(0, failures - policy.freeFailures);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(steps, 30));
}

/** The network a client address belongs to, for the per-account key. */
export function addressPrefix(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(ip)) {
    const [head = '', tail] = (ip.split('%')[0] ?? ip).split('::');
    const headGroups = head ? head.split(':') : [];
    const tailGroups = tail ? tail.split(':') : [];
    const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
    const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
    return `${groups
      .slice(0, 3)
      .map((group) => group.toLowerCase().padStart(4, '0'))
      .join(':')}::/48`;
  }
  return 'unknown';
}

/** What the login use case needs from the attempt store. */
export interface LoginAttemptStore {
  /** Throws a DEPENDENCY_UNAVAILABLE AppError when the store cannot be read: logins then fail closed. */
  history(accountKey: string, prefix: string): Promise<LoginAttemptHistory>;
  recordFailure(accountKey: string, prefix: string, policy: LoginThrottlePolicy): Promise<void>;
  /** The prefix's own failures are forgiven and it becomes known-good; the account's window stays. */
  recordSuccess(accountKey: string, prefix: string): Promise<void>;
}
