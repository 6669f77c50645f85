import { NotFoundError } from '@surge/errors';
import type { ProfileCache, UserStore } from './ports';
import { toProfile, type Preferences, type Profile } from './user';

/**
 * Read-through cache: Redis first, then Postgres, then fill the cache. A cache that is
 * down is skipped (the database still answers), never an error for the caller.
 */
export async function getProfile(
  deps: { users: UserStore; cache: ProfileCache },
  userId: string,
): Promise<Profile> {
  const cached = await deps.cache.get(userId).catch(() => undefined);
  if (cached) return cached;
  const user = await deps.users.findById(userId);
  if (!user) throw new NotFoundError('User');
  const profile = toProfile(user);
  await deps.cache.set(profile).catch(() => undefined);
  return profile;
}

/**
 * Updates name and/or preferences, then invalidates the cached profile. Invalidation
 * after the commit: a reader between the two sees the old profile at most until the
 * delete lands; a failed delete is bounded by the cache TTL.
 */
export async function updateProfile(
  deps: { users: UserStore; cache: ProfileCache },
  userId: string,
  changes: { name?: string; preferences?: Preferences },
): Promise<Profile> {
  const user = await deps.users.update(userId, changes);
  if (!user) throw new NotFoundError('User');
  await deps.cache.invalidate(userId).catch(() => undefined);
  return toProfile(user);
}
