import { z } from 'zod';
import { cursorField, defineCursor } from '../cursor';
import { CURSOR_DESCRIPTION, instant, limitParam, named, pageOf } from './common';

/** GET /api/notifications (docs/api-contract.md, "Payments and notifications"). */

/** Opaque to clients: the keyset position (sentAt, id) of the last item, in the shared codec. */
export const notificationCursor = defineCursor({
  list: 'notifications',
  fields: [cursorField.instant, cursorField.uuid],
  toFields: (position: { sentAt: Date; id: string }) => [position.sentAt.toISOString(), position.id],
  fromFields: ([sentAt, id]) => ({ sentAt, id }),
});

/** A parameter the route does not take is a 400, not ignored (payments.ts says why). */
export const listNotificationsQuery = z.strictObject({
  limit: limitParam,
  cursor: notificationCursor.param.optional().meta({ description: CURSOR_DESCRIPTION }),
});

export const notification = named(
  'Notification',
  'A message sent to the caller.',
  z.object({
    id: z.uuid(),
    type: z.string().meta({ examples: ['user.registered', 'order.paid', 'order.cancelled'] }),
    channel: z.literal('email'),
    subject: z.string(),
    eventId: z.string(),
    sentAt: instant,
  }),
);

export const notificationList = named(
  'NotificationList',
  "One page of the caller's notifications, newest first.",
  pageOf(notification),
);
