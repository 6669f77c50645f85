import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens bound to the session cookie (an HMAC of the session id): every form carries
 * one, every POST is checked. Works for shoppers who are not signed in (no server-side
 * record needed), and changes when sign-in rotates the session id. SameSite=Lax on the
 * cookie is the first line; this is the second, for browsers or paths Lax does not cover.
 */
export function csrfTokenFor(sessionId: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

export function isValidCsrfToken(sessionId: string, secret: string, token: unknown): boolean {
  if (typeof token !== 'string' || token.length === 0) return false;
  const expected = Buffer.from(csrfTokenFor(sessionId, secret));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
