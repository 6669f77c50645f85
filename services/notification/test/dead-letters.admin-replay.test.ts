import { deadLetterListSchema, deadLetterReplayResultSchema, type DeadLetter } from '@surge/contracts';
import { createPool, type Pool } from '@surge/postgres';
import { provisionTestDatabase, eventually } from '@surge/testing';
import {
  closeKafka,
  events,
  mailTo,
  notificationsFor,
  publish,
  startTestNotificationService,
  type TestNotificationService,
} from './support';

/**
 * Dead letters listed and replayed through the service's admin listener, as the
 * operations console does it. The dead letter is real: the consumer fails on a valid
 * event because a table it writes is gone (a migration mistake, say), gives up after one
 * attempt and moves it to `users.dlq`; once the table is back, a replay applies it once.
 * Its own database, since the test takes a table away.
 */
let service: TestNotificationService;
let db: Pool;
beforeAll(async () => {
  const databaseUrl = await provisionTestDatabase('surge_notification_dlq_test');
  db = createPool({ connectionString: databaseUrl, applicationName: 'notification-dlq-test' });
  // A run that died half-way left the table renamed.
  await db.query('ALTER TABLE IF EXISTS notifications_gone RENAME TO notifications');
  service = await startTestNotificationService({ DATABASE_URL: databaseUrl, EVENT_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  await db.query('ALTER TABLE IF EXISTS notifications_gone RENAME TO notifications');
  await db.end();
  await service.stop();
  await closeKafka();
});

async function listed(): Promise<ReturnType<typeof deadLetterListSchema.parse>> {
  const res = await fetch(`${service.adminUrl}/dead-letters`);
  expect(res.status).toBe(200);
  return deadLetterListSchema.parse(await res.json());
}

async function replay(body: unknown): Promise<Response> {
  return fetch(`${service.adminUrl}/dead-letters/replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** notifications_total{type="user.registered",outcome="duplicate"} on the admin listener. */
async function duplicatesCounted(): Promise<number> {
  const text = await (await fetch(`${service.adminUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('notifications_total{') &&
        l.includes('outcome="duplicate"') &&
        l.includes('type="user.registered"'),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const pendingOf = (list: Awaited<ReturnType<typeof listed>>, topic: string) =>
  list.topics.find((entry) => entry.topic === topic)?.pending ?? 0;

describe('dead letters on the admin listener', () => {
  it('a message that failed is listed with why; replayed, it takes effect once, and the pending count falls', async () => {
    const registered = events.userRegistered();
    await db.query('ALTER TABLE notifications RENAME TO notifications_gone');
    let letter: DeadLetter;
    try {
      await publish('users', registered);
      letter = await eventually(
        async () => (await listed()).messages.find((message) => message.id === registered.id),
        { what: 'the event in users.dlq' },
      );
    } finally {
      await db.query('ALTER TABLE notifications_gone RENAME TO notifications');
    }
    expect(letter).toMatchObject({
      topic: 'users',
      type: 'user.registered',
      key: registered.subject,
      group: service.config.CONSUMER_GROUP,
      replayedAt: null,
      replayedBy: null,
    });
    expect(letter.error).toMatch(/notifications/);
    expect(letter.source).toMatch(/^users\/\d+\/\d+$/);
    const before = pendingOf(await listed(), 'users');
    expect(before).toBeGreaterThanOrEqual(1);

    const first = await replay({ topic: 'users', position: letter.position, by: 'ops@surge.test' });
    expect(first.status).toBe(200);
    expect(deadLetterReplayResultSchema.parse(await first.json())).toEqual({ replayed: 1, skipped: 0 });

    // By Message-ID: on a shared Mailpit, other stacks consuming `users` mail this address too.
    const [row] = await eventually(
      async () => {
        const rows = await notificationsFor(service.db, registered.id);
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the notification after the replay' },
    );
    const mine = async () =>
      (await mailTo(registered.data.email)).filter((mail) => mail.MessageID.startsWith(row!.id));
    await eventually(async () => ((await mine()).length > 0 ? true : undefined), {
      what: 'the welcome email',
    });
    const after = await listed();
    expect(pendingOf(after, 'users')).toBe(before - 1);
    expect(after.messages.find((message) => message.position === letter.position)).toMatchObject({
      replayedAt: expect.stringMatching(/^\d{4}-/),
      replayedBy: 'ops@surge.test',
    });

    // A second replay publishes nothing; the same event arriving again anyway (two
    // replays racing) is absorbed by the inbox: one notification, one email.
    const second = await replay({ topic: 'users', position: letter.position, by: 'ops@surge.test' });
    expect(deadLetterReplayResultSchema.parse(await second.json())).toEqual({ replayed: 0, skipped: 1 });
    const duplicates = await duplicatesCounted();
    await publish('users', registered);
    await eventually(async () => ((await duplicatesCounted()) > duplicates ? true : undefined), {
      what: 'the repeated event seen by the inbox as a duplicate',
    });
    expect(await notificationsFor(service.db, registered.id)).toHaveLength(1);
    expect(await mine()).toHaveLength(1);
  }, 60_000);

  it('refuses a topic the service does not consume, and a request without who asks, with problem details', async () => {
    const foreign = await replay({ topic: 'products', by: 'ops@surge.test' });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const anonymous = await replay({ topic: 'users' });
    expect(anonymous.status).toBe(400);
    expect(((await anonymous.json()) as { code?: string }).code).toBe('VALIDATION_FAILED');

    const nowhere = await replay({ topic: 'users', position: '0@999999999', by: 'ops@surge.test' });
    expect(nowhere.status).toBe(404);
  });
});
