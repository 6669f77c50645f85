import { z } from 'zod';

/**
 * The event catalogue (CONTRACT.md, "Events"). One topic per aggregate keeps one
 * aggregate's events in order; every event's data carries the aggregate's `version`
 * so consumers can drop stale or repeated events. Producers and consumers validate
 * against these schemas.
 */
const versioned = { version: z.number().int().positive() };

export const eventSchemas = {
  'user.registered': z.object({
    userId: z.uuid(),
    email: z.email(),
    name: z.string(),
    ...versioned,
  }),
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;

/** The topic each event type is published to. */
export const topicOf: Record<EventType, string> = {
  'user.registered': 'users',
};

export const TOPICS = ['users', 'products', 'orders', 'payments'] as const;
export type Topic = (typeof TOPICS)[number];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(eventSchemas, value);
}
