import { Router } from 'express';
import { validate } from '@surge/http-kit';
import type { Jwks } from '@surge/auth';
import { registerUser } from '../../domain/register-user';
import { logIn, logOut, refreshSession, type SessionDeps } from '../../domain/sessions';
import { clientAddress } from './client-address';
import { loginBody, refreshBody, registerBody } from '@surge/contracts';

/** POST /api/auth/register|login|refresh|logout and GET /api/auth/jwks (docs/api-contract.md). */
export function authRoutes(deps: SessionDeps & { jwks: Jwks }): Router {
  const router = Router();

  router.post('/register', async (req, res) => {
    const body = validate(registerBody, req.body);
    const profile = await registerUser(deps, body);
    const { preferences: _preferences, ...created } = profile;
    res.status(201).location(`/api/users/${profile.id}`).json(created);
  });

  router.post('/login', async (req, res) => {
    const body = validate(loginBody, req.body);
    res
      .set('cache-control', 'no-store')
      .json(await logIn(deps, { ...body, clientAddress: clientAddress(req) }));
  });

  router.post('/refresh', async (req, res) => {
    const body = validate(refreshBody, req.body);
    res.set('cache-control', 'no-store').json(await refreshSession(deps, body.refreshToken));
  });

  router.post('/logout', async (req, res) => {
    const body = validate(refreshBody, req.body);
    await logOut(deps, body.refreshToken);
    res.status(204).end();
  });

  router.get('/jwks', (_req, res) => {
    // Short public caching: verifiers refetch on an unknown kid anyway.
    res.set('cache-control', 'public, max-age=300').json(deps.jwks);
  });

  return router;
}
