import { eventually } from '@surge/testing';
import { randomUUID } from 'node:crypto';
import { contractViolations } from '@surge/contracts';
import {
  closeKafka,
  events,
  publish,
  startTestNotificationService,
  type TestNotificationService,
} from './support';

let service: TestNotificationService;
beforeAll(async () => {
  service = await startTestNotificationService();
});
afterAll(async () => {
  await service.stop();
  await closeKafka();
});

interface Item {
  id: string;
  type: string;
  channel: string;
  subject: string;
  eventId: string;
  sentAt: string;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

async function list(token: string | undefined, query = '') {
  const res = await fetch(`${service.url}/api/notifications${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: (await res.json()) as Page & { code?: string } };
}

/** Sent notifications inserted directly: the read side under test, with timestamps we choose. */
async function seedSent(userId: string, sentAt: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) {
    await service.db.query(
      `INSERT INTO notifications (id, user_id, type, recipient, subject, body, event_id, dedupe_key, status, sent_at)
       VALUES ($1, $2, 'order.paid', 'seed@example.test', $3, 'body', $4, $4, 'SENT', $5)`,
      [id, userId, `seeded ${id}`, randomUUID(), sentAt],
    );
  }
  return ids;
}

describe('GET /api/notifications', () => {
  it('lists the caller own notifications, newest first, in the contract shape', async () => {
    const me = events.userRegistered();
    const other = events.userRegistered();
    const paid = events.orderPaid(me.data.userId);
    await publish('users', me, other);
    await eventually(
      async () => ((await list(service.tokenFor(me.data.userId))).body.items.length ? true : undefined),
      { what: 'welcome' },
    );
    await publish('orders', paid);

    const page = await eventually(
      async () => {
        const res = await list(service.tokenFor(me.data.userId));
        return res.body.items.length === 2 ? res : undefined;
      },
      { what: 'both notifications listed' },
    );

    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.items.map((item) => item.eventId)).toEqual([paid.id, me.id]);
    expect(page.body.items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'order.paid',
      channel: 'email',
      subject: `Your Surge receipt for order ${paid.data.orderId.slice(0, 8)}`,
      eventId: paid.id,
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const theirs = await eventually(
      async () => {
        const res = await list(service.tokenFor(other.data.userId));
        return res.body.items.length ? res : undefined;
      },
      { what: 'the other user listing' },
    );
    expect(theirs.body.items.map((item) => item.eventId)).toEqual([other.id]);
  });

  it('pages with limit and cursor without skipping or repeating, also across equal timestamps', async () => {
    const userId = randomUUID();
    const older = await seedSent(userId, '2026-01-01T10:00:00.000Z', 2);
    const tied = await seedSent(userId, '2026-01-02T10:00:00.000Z', 3);
    const token = service.tokenFor(userId);

    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Page } = await list(
        token,
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(3);
    const byNewest = [...tied.sort().reverse(), ...older.sort().reverse()];
    expect(seen.map((item) => item.id)).toEqual(byNewest);
  });

  it('answers 401 without a token and 400 for a bad limit or cursor', async () => {
    const token = service.tokenFor(randomUUID());
    const anonymous = await list(undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    expect((await list(token, '?limit=0')).status).toBe(400);
    expect((await list(token, '?limit=101')).status).toBe(400);
    const bad = await list(token, '?cursor=bm90LWEtY3Vyc29y');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.ts:\d+/);
    const unknown = await list(token, '?limit=5&x=false');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('operations endpoints', () => {
  it('reports ready with postgres, and Prometheus metrics', async () => {
    const ready = await fetch(`${service.adminUrl}/health/ready`).then((res) => res.json());
    expect(ready).toEqual({ status: 'up', shuttingDown: false, checks: { postgres: 'up' } });
    const metrics = await fetch(`${service.adminUrl}/metrics`).then((res) => res.text());
    expect(metrics).toContain('notifications_total');
  });

  it('answers what the public contract documents: the page, 400 and 401', async () => {
    const userId = randomUUID();
    await seedSent(userId, '2024-05-01T10:00:00.000Z', 2);
    const token = service.tokenFor(userId);

    for (const [query, withToken, status] of [
      ['?limit=1', true, 200],
      ['?cursor=', true, 400],
      ['', false, 401],
    ] as const) {
      const res = await list(withToken ? token : undefined, query);
      expect(res.status).toBe(status);
      expect(contractViolations('listNotifications', res.status, res.body)).toEqual([]);
    }
  });
});
