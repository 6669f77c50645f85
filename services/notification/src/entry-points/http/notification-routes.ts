import { Router } from 'express';
import { principalOf, requireAuth, validate } from '@surge/http-kit';
import { listNotifications } from '../../domain/list-notifications';
import type { NotificationStore } from '../../domain/ports';
import { listNotificationsQuery, notificationCursor } from '@surge/contracts';

/** GET /api/notifications: the caller's own notifications, newest first (docs/api-contract.md). */
export function notificationRoutes(deps: { store: NotificationStore }): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', async (req, res) => {
    const query = validate(listNotificationsQuery, req.query, 'query');
    const page = await listNotifications(deps, principalOf(res).userId, {
      limit: query.limit,
      ...(query.cursor ? { after: query.cursor } : {}),
    });
    res.set('cache-control', 'private, no-store').json({
      items: page.items.map((item) => ({ ...item, sentAt: item.sentAt.toISOString() })),
      nextCursor: page.next ? notificationCursor.encode(page.next) : null,
    });
  });

  return router;
}
