/**
 * What the storefront remembers of a shopper between pages. Tokens never leave the
 * server: the browser holds only the opaque session id.
 */
export interface Session {
  userId: string;
  email: string;
  name: string;
  role: 'customer' | 'admin';
  accessToken: string;
  refreshToken: string;
  /** Epoch ms; the access token is refreshed a little before. */
  accessExpiresAt: number;
}

/** A one-time message for the next page (after a redirect): "Added to your cart". */
export interface Flash {
  kind: 'info' | 'error';
  text: string;
}

/**
 * The claims of an access token the storefront received itself, straight from the
 * identity service over its own connection (never from a browser): its payload is read,
 * not verified again. The services still verify every call made with it.
 */
export function readTokenClaims(token: string): { sub: string; role: 'customer' | 'admin'; exp: number } {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('an access token without a payload');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number')
    throw new Error('an access token without sub or exp');
  return { sub: claims.sub, role: claims.role === 'admin' ? 'admin' : 'customer', exp: claims.exp };
}

/** Refresh when less than this is left, so a page's API calls never race the expiry. */
export const REFRESH_MARGIN_MS = 60_000;

export function needsRefresh(session: Session, now: number): boolean {
  return session.accessExpiresAt - now < REFRESH_MARGIN_MS;
}
