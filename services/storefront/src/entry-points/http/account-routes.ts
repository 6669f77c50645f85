import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ApiProblem, type ApiClient } from '../../clients/api-client';
import { createdUserSchema, profileSchema, tokenPairSchema } from '../../clients/api-schemas';
import type { SessionStore } from '../../data-access/session-store';
import { readTokenClaims, type Session } from '../../domain/session';
import { loginPage, signupPage } from '../../views/account-pages';
import { pageContext, sendPage, setSessionCookie, shopperOf } from './shopper';

export interface AccountDeps {
  api: ApiClient;
  store: SessionStore;
  ttlSeconds: number;
}

const loginForm = z.object({
  email: z.string().trim().max(320),
  password: z.string().max(128),
  next: z.string().max(500).optional(),
});
const signupForm = z.object({
  name: z.string().trim().min(1).max(100),
  email: z.string().trim().max(320),
  password: z.string().max(128),
});

/** Only a path of this site: `//evil.example` and `https://...` are not. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

/** Sign up, sign in (the API's tokens stay in the session), sign out. */
export function accountRoutes(deps: AccountDeps): Router {
  const router = Router();
  const requestId = (res: Response) => String(res.locals.requestId ?? '');

  router.get('/login', async (req, res) => {
    sendPage(res, loginPage(await pageContext(deps.store, res), { next: safeNext(req.query.next) }));
  });

  router.post('/login', async (req, res) => {
    const form = loginForm.safeParse(req.body);
    const next = safeNext(form.success ? form.data.next : undefined);
    if (!form.success) {
      return sendPage(
        res,
        loginPage(await pageContext(deps.store, res), { next, problem: 'Enter your email and password.' }),
        400,
      );
    }
    try {
      await signIn(deps, req, res, form.data.email, form.data.password);
    } catch (error) {
      if (error instanceof ApiProblem && (error.status === 401 || error.status === 400)) {
        const view = {
          next,
          email: form.data.email,
          problem: 'That email and password do not match an account.',
        };
        return sendPage(res, loginPage(await pageContext(deps.store, res), view), 401);
      }
      throw error;
    }
    res.redirect(303, next);
  });

  router.get('/signup', async (_req, res) => {
    sendPage(res, signupPage(await pageContext(deps.store, res), {}));
  });

  router.post('/signup', async (req, res) => {
    const form = signupForm.safeParse(req.body);
    const again = async (status: number, problem: string) =>
      sendPage(
        res,
        signupPage(await pageContext(deps.store, res), {
          ...(form.success ? { name: form.data.name, email: form.data.email } : {}),
          problem,
        }),
        status,
      );
    if (!form.success) return again(400, 'Fill in your name, email and a password.');
    try {
      await deps.api.call('POST', '/api/auth/register', createdUserSchema, {
        body: form.data,
        requestId: requestId(res),
      });
    } catch (error) {
      if (error instanceof ApiProblem && error.problem.code === 'EMAIL_TAKEN')
        return again(409, 'An account with this email exists already. Sign in instead.');
      if (error instanceof ApiProblem && error.status === 400)
        return again(400, 'Check the form: a valid email and a password of 8 to 128 characters.');
      throw error;
    }
    await signIn(deps, req, res, form.data.email, form.data.password);
    res.redirect(303, '/');
  });

  router.post('/logout', async (req, res) => {
    const { sid, session } = shopperOf(res);
    if (session) {
      // Revoke the refresh token too; a failure here still ends the session on our side.
      await deps.api
        .send('POST', '/api/auth/logout', {
          body: { refreshToken: session.refreshToken },
          requestId: requestId(res),
        })
        .catch(() => undefined);
    }
    await deps.store.destroy(sid);
    setSessionCookie(req, res, deps.store.newId(), deps.ttlSeconds);
    res.redirect(303, '/');
  });

  return router;
}

/**
 * Logs in through the API and starts a session under a new id (the old one, which a
 * visitor may have been given by someone else, is dropped: no session fixation).
 */
async function signIn(
  deps: AccountDeps,
  req: Request,
  res: Response,
  email: string,
  password: string,
): Promise<void> {
  const requestId = String(res.locals.requestId ?? '');
  const tokens = await deps.api.call('POST', '/api/auth/login', tokenPairSchema, {
    body: { email, password },
    requestId,
  });
  const claims = readTokenClaims(tokens.body.accessToken);
  const me = await deps.api
    .call('GET', '/api/users/me', profileSchema, { token: tokens.body.accessToken, requestId })
    .catch(() => undefined);
  const session: Session = {
    userId: claims.sub,
    email,
    name: me?.body.name ?? email,
    role: claims.role,
    accessToken: tokens.body.accessToken,
    refreshToken: tokens.body.refreshToken,
    accessExpiresAt: claims.exp * 1000,
  };
  const old = shopperOf(res).sid;
  const sid = deps.store.newId();
  await deps.store.save(sid, session);
  await deps.store.destroy(old);
  setSessionCookie(req, res, sid, deps.ttlSeconds);
}
