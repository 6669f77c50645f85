import type { Redis } from '@surge/redis';
import type { CartStore } from '../domain/ports';

/**
 * Carts in Redis: one hash per user (`cart:<userId>`, productId → quantity) that expires
 * after `ttlSeconds` without changes. A cart is a convenience, not a record: losing one
 * in a Redis failure costs a customer a few clicks, never an order.
 */
export function createCartStore(redis: Redis, ttlSeconds: number): CartStore {
  const key = (userId: string) => `cart:${userId}`;
  return {
    async get(userId) {
      const raw = await redis.hgetall(key(userId));
      return new Map(Object.entries(raw).map(([productId, quantity]) => [productId, Number(quantity)]));
    },
    async set(userId, productId, quantity) {
      await redis
        .multi()
        .hset(key(userId), productId, String(quantity))
        .expire(key(userId), ttlSeconds)
        .exec();
    },
    async remove(userId, productId) {
      await redis.hdel(key(userId), productId);
    },
    async clear(userId) {
      await redis.del(key(userId));
    },
  };
}
