import { randomUUID } from 'node:crypto';
import { tamperedCursors } from '@surge/testing';
import { closeKafka, startTestNotificationService, type TestNotificationService } from './support';

let service: TestNotificationService;
let token: string;
let issued: string;
beforeAll(async () => {
  service = await startTestNotificationService();
  const userId = randomUUID();
  token = service.tokenFor(userId);
  // Sent notifications inserted directly: the read side is under test, not the consumer.
  for (const sentAt of ['2024-01-01T00:00:01Z', '2024-01-01T00:00:02Z']) {
    const eventId = randomUUID();
    await service.db.query(
      `INSERT INTO notifications (id, user_id, type, recipient, subject, body, event_id, dedupe_key, status, sent_at)
       VALUES ($1, $2, 'order.paid', 'seed@example.test', 'seeded', 'body', $3, $3, 'SENT', $4)`,
      [randomUUID(), userId, eventId, sentAt],
    );
  }
  const first = await list('?limit=1');
  issued = String(first.body.nextCursor);
});
afterAll(async () => {
  await service.stop();
  await closeKafka();
});

async function list(query: string) {
  const res = await fetch(`${service.url}/api/notifications${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      items?: unknown[];
      nextCursor?: string | null;
      code?: string;
      errors?: Array<{ path: string }>;
    },
  };
}

describe('GET /api/notifications with a cursor this API did not hand out', () => {
  it('follows the cursor it handed out', async () => {
    const next = await list(`?limit=1&cursor=${issued}`);
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(1);
  });

  it.each(tamperedCursors('placeholder', 'notifications'))(
    'answers 400 naming the cursor: %s',
    async (label) => {
      const cursor = new Map(tamperedCursors(issued, 'notifications')).get(label)!;
      const res = await list(`?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors?.map((problem) => problem.path)).toContain('cursor');
    },
  );

  it('refuses an orders cursor: cursors are per list', async () => {
    const ordersCursor = Buffer.from(
      JSON.stringify([1, 'orders', '2024-01-01T00:00:00.000Z', randomUUID()]),
    ).toString('base64url');
    expect((await list(`?cursor=${ordersCursor}`)).status).toBe(400);
  });
});
