import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiClient } from '../../clients/api-client';
import { tokenPairSchema } from '../../clients/api-schemas';
import type { SessionStore } from '../../data-access/session-store';
import { isSessionId } from '../../data-access/session-store';
import { csrfTokenFor, isValidCsrfToken } from '../../domain/csrf';
import { needsRefresh, readTokenClaims, type Flash, type Session } from '../../domain/session';
import type { SafeHtml } from '../../views/html';
import type { PageContext } from '../../views/layout';

export const SESSION_COOKIE = 'surge_sid';

export interface ShopperDeps {
  store: SessionStore;
  api: ApiClient;
  secret: string;
  ttlSeconds: number;
}

/** What the shopper middleware leaves for the routes. */
export interface Shopper {
  sid: string;
  csrf: string;
  session: Session | undefined;
}

export function shopperOf(res: Response): Shopper {
  return res.locals.shopper as Shopper;
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Secure behind TLS. */
export function setSessionCookie(req: Request, res: Response, sid: string, ttlSeconds: number): void {
  const secure = req.secure ? '; Secure' : '';
  res.append(
    'set-cookie',
    `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ttlSeconds}${secure}`,
  );
}

/**
 * Every page request: finds the session (or hands out a new id), refreshes an access
 * token about to expire, and refuses a POST whose CSRF token does not match the cookie.
 */
export function shopper(deps: ShopperDeps): RequestHandler {
  return async (req, res, next) => {
    const cookie = readCookie(req, SESSION_COOKIE);
    let sid: string;
    let session: Session | undefined;
    if (isSessionId(cookie)) {
      sid = cookie;
      session = await deps.store.get(sid);
      if (session && needsRefresh(session, Date.now())) session = await refresh(deps, sid, session, res);
    } else {
      sid = deps.store.newId();
      setSessionCookie(req, res, sid, deps.ttlSeconds);
    }
    res.locals.shopper = { sid, csrf: csrfTokenFor(sid, deps.secret), session } satisfies Shopper;
    if (
      req.method === 'POST' &&
      !isValidCsrfToken(sid, deps.secret, (req.body as Record<string, unknown>)?._csrf)
    ) {
      return next(new CsrfRejected());
    }
    next();
  };
}

export class CsrfRejected extends Error {
  readonly code = 'CSRF_REJECTED';
  constructor() {
    super('the form was not sent from this page, or it is too old');
  }
}

async function refresh(
  deps: ShopperDeps,
  sid: string,
  session: Session,
  res: Response,
): Promise<Session | undefined> {
  try {
    const answer = await deps.api.call('POST', '/api/auth/refresh', tokenPairSchema, {
      body: { refreshToken: session.refreshToken },
      requestId: String(res.locals.requestId ?? ''),
    });
    const claims = readTokenClaims(answer.body.accessToken);
    const next: Session = {
      ...session,
      accessToken: answer.body.accessToken,
      refreshToken: answer.body.refreshToken,
      accessExpiresAt: claims.exp * 1000,
      role: claims.role,
    };
    await deps.store.save(sid, next);
    return next;
  } catch {
    // Revoked, expired or the identity service is away: the shopper signs in again.
    await deps.store.destroy(sid);
    return undefined;
  }
}

/** Pages that need a signed-in shopper send others to sign in, and back afterwards. */
export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (shopperOf(res).session) return next();
  if (req.method !== 'GET') return res.redirect(303, '/login');
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

export function signedInSession(res: Response): Session {
  const session = shopperOf(res).session;
  if (!session) throw new Error('signedInSession called on a page without requireSignedIn');
  return session;
}

/** The context every page renders with; takes this shopper's one-time message. */
export async function pageContext(store: SessionStore, res: Response): Promise<PageContext> {
  const { sid, csrf, session } = shopperOf(res);
  const flash = await store.takeFlash(sid);
  return {
    csrf,
    signedIn: session ? { name: session.name, role: session.role } : undefined,
    flash,
  };
}

export async function redirectWithFlash(
  store: SessionStore,
  res: Response,
  location: string,
  flash: Flash,
): Promise<void> {
  await store.setFlash(shopperOf(res).sid, flash);
  res.redirect(303, location);
}

export function sendPage(res: Response, page: SafeHtml, status = 200): void {
  res.status(status).type('html').set('cache-control', 'no-store').send(page.text);
}

export type PageHandler = (req: Request, res: Response, next: NextFunction) => Promise<void>;
