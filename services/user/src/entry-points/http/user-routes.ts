import { Router } from 'express';
import { principalOf, requireAuth, validate } from '@surge/http-kit';
import type { ProfileCache, UserStore } from '../../domain/ports';
import { getProfile, updateProfile } from '../../domain/profiles';
import { updateMeBody } from '@surge/contracts';

/** GET and PATCH /api/users/me: the caller's own profile, behind a verified token. */
export function userRoutes(deps: { users: UserStore; cache: ProfileCache }): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/me', async (_req, res) => {
    res.json(await getProfile(deps, principalOf(res).userId));
  });

  router.patch('/me', async (req, res) => {
    const body = validate(updateMeBody, req.body);
    const changes = {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.preferences === undefined ? {} : { preferences: body.preferences }),
    };
    res.json(await updateProfile(deps, principalOf(res).userId, changes));
  });

  return router;
}
