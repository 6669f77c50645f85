import { eventually } from '@surge/testing';
import {
  closeKafka,
  events,
  mailTo,
  notificationsFor,
  publish,
  settledMailTo,
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

describe('user.registered on the users topic', () => {
  it('sends exactly one welcome email and records one SENT notification', async () => {
    const registered = events.userRegistered({ name: 'Grace Hopper' });

    await publish('users', registered);

    const mail = await settledMailTo(registered.data.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      Subject: 'Welcome to Surge, Grace Hopper',
      To: [{ Address: registered.data.email }],
    });
    const rows = await eventually(
      async () => {
        const found = await notificationsFor(service.db, registered.id);
        return found[0]?.status === 'SENT' ? found : undefined;
      },
      { what: 'the notification to be marked SENT' },
    );
    expect(rows).toEqual([
      expect.objectContaining({ type: 'user.registered', user_id: registered.data.userId, status: 'SENT' }),
    ]);
    // The Message-ID is the notification id: a resend after a crash would be recognisable.
    expect(mail[0]!.MessageID).toBe(`${rows[0]!.id}@notification.surge.local`);
  });

  it('counts the sent email in notifications_total', async () => {
    const registered = events.userRegistered();
    await publish('users', registered);
    await eventually(async () => ((await mailTo(registered.data.email)).length ? true : undefined), {
      what: 'mail',
    });

    const metrics = await eventually(
      async () => {
        const text = await fetch(`${service.adminUrl}/metrics`).then((res) => res.text());
        return /notifications_total\{[^}]*type="user.registered"[^}]*outcome="sent"[^}]*\} [1-9]/.test(text)
          ? text
          : undefined;
      },
      { what: 'the counter' },
    );
    expect(metrics).toContain('# TYPE notifications_total counter');
  });
});
