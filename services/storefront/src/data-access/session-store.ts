import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from '@surge/redis';
import type { Flash, Session } from '../domain/session';

/**
 * Sessions in Redis under the configured prefix, keyed by a hash of the cookie's id, so
 * a copy of Redis gives nobody a cookie that works. Flash messages live beside them.
 */
export interface SessionStore {
  newId(): string;
  get(id: string): Promise<Session | undefined>;
  save(id: string, session: Session): Promise<void>;
  destroy(id: string): Promise<void>;
  setFlash(id: string, flash: Flash): Promise<void>;
  takeFlash(id: string): Promise<Flash | undefined>;
}

export function createSessionStore(
  redis: Redis,
  options: { prefix: string; ttlSeconds: number },
): SessionStore {
  const key = (id: string, kind: 'session' | 'flash') =>
    `${options.prefix}${kind}:${createHash('sha256').update(id).digest('base64url')}`;
  return {
    newId: () => randomBytes(32).toString('base64url'),
    async get(id) {
      const raw = await redis.get(key(id, 'session'));
      return raw ? (JSON.parse(raw) as Session) : undefined;
    },
    async save(id, session) {
      await redis.set(key(id, 'session'), JSON.stringify(session), 'EX', options.ttlSeconds);
    },
    async destroy(id) {
      await redis.del(key(id, 'session'), key(id, 'flash'));
    },
    async setFlash(id, flash) {
      await redis.set(key(id, 'flash'), JSON.stringify(flash), 'EX', 300);
    },
    async takeFlash(id) {
      const raw = await redis.getdel(key(id, 'flash'));
      return raw ? (JSON.parse(raw) as Flash) : undefined;
    },
  };
}

/** A cookie value we issued: 43 base64url characters (32 random bytes). */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && /^[\w-]{43}$/.test(value);
}
