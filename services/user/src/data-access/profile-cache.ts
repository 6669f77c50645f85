import type { Redis } from '@surge/redis';
import type { ProfileCache } from '../domain/ports';
import type { Profile } from '../domain/user';

/** Profiles in Redis as JSON under `profile:<id>` (the client adds the service prefix). */
export function createProfileCache(redis: Redis, ttlSeconds: number): ProfileCache {
  const key = (userId: string) => `profile:${userId}`;
  return {
    async get(userId) {
      const raw = await redis.get(key(userId));
      return raw ? (JSON.parse(raw) as Profile) : undefined;
    },
    async set(profile) {
      await redis.set(key(profile.id), JSON.stringify(profile), 'EX', ttlSeconds);
    },
    async invalidate(userId) {
      await redis.del(key(userId));
    },
  };
}
