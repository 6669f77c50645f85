import { rateLimitSubject } from './client-ip';

/**
 * Which limits a request counts against. Pure: the Redis counting lives in
 * data-access, the HTTP answer in entry-points.
 *
 * - `credentials`: login and register, per client IP, tight (stops credential stuffing
 *   and mass sign-ups); counted in addition to the general limit.
 * - `user`: every request of an authenticated user, per user id.
 * - `ip`: every anonymous request, per client IP.
 */
export type RateLimitPolicyName = 'credentials' | 'user' | 'ip';

export interface WindowLimit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

export type RateLimitPolicies = Readonly<Record<RateLimitPolicyName, WindowLimit>>;

export interface LimitCheck extends WindowLimit {
  policy: RateLimitPolicyName;
  /** The counter's key, without the store's prefix. */
  key: string;
}

export interface RequestFacts {
  method: string;
  path: string;
  userId: string | undefined;
  clientIp: string;
}

/**
 * The API's and the storefront's (its login and sign-up forms): the storefront calls the
 * API from its own address, so the edge is where a shopper's address is still known.
 */
const CREDENTIAL_ENDPOINTS = new Set(['/api/auth/login', '/api/auth/register', '/login', '/signup']);

export function selectLimits(request: RequestFacts, policies: RateLimitPolicies): LimitCheck[] {
  const subject = rateLimitSubject(request.clientIp);
  const checks: LimitCheck[] = [];
  if (isCredentialEndpoint(request.method, request.path)) {
    checks.push({ policy: 'credentials', key: `credentials:${subject}`, ...policies.credentials });
  }
  if (request.userId) checks.push({ policy: 'user', key: `user:${request.userId}`, ...policies.user });
  else checks.push({ policy: 'ip', key: `ip:${subject}`, ...policies.ip });
  return checks;
}

/**
 * Compares loosely on purpose: the user service's router is case-insensitive and
 * ignores a trailing slash, so `/api/auth/LOGIN/` and `/api/auth/l%6Fgin` must count as
 * login too, or the tight limit could be walked around.
 */
export function isCredentialEndpoint(method: string, path: string): boolean {
  if (method !== 'POST') return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  const normalized = decoded
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '');
  return CREDENTIAL_ENDPOINTS.has(normalized);
}

export interface WindowHit {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function decideLimit(check: WindowLimit, hit: WindowHit): LimitDecision {
  if (hit.count <= check.max) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(hit.resetMs / 1000)) };
}

export interface Refusal {
  policy: RateLimitPolicyName;
  retryAfterSeconds: number;
}

/**
 * The refusal to report when a request exceeded one or more of its limits: the one
 * that frees up last, so a client that waits Retry-After is not refused again.
 */
export function strictestRefusal(
  checks: readonly LimitCheck[],
  hits: readonly WindowHit[],
): Refusal | undefined {
  let strictest: Refusal | undefined;
  checks.forEach((check, index) => {
    const hit = hits[index];
    if (!hit) return;
    const decision = decideLimit(check, hit);
    if (!decision.allowed && (!strictest || decision.retryAfterSeconds > strictest.retryAfterSeconds)) {
      strictest = { policy: check.policy, retryAfterSeconds: decision.retryAfterSeconds };
    }
  });
  return strictest;
}
