import type { NotificationView } from './notification';
import type { NotificationStore } from './ports';

export interface NotificationPage {
  items: NotificationView[];
  /** Position of the last item, when more follow. */
  next: { sentAt: Date; id: string } | null;
}

/** The caller's own sent notifications, newest first, one keyset page at a time. */
export async function listNotifications(
  deps: { store: NotificationStore },
  userId: string,
  page: { limit: number; after?: { sentAt: Date; id: string } },
): Promise<NotificationPage> {
  // One extra row tells whether another page exists without a count query.
  const rows = await deps.store.listSent(userId, page.limit + 1, page.after);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > page.limit && last ? { sentAt: last.sentAt, id: last.id } : null };
}
