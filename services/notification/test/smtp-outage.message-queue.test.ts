import { eventually } from '@surge/testing';
import { createSmtpMailer } from '../src/clients/smtp-mailer';
import { createNotificationRepository } from '../src/data-access/notification-repository';
import { notifyForEvent } from '../src/domain/notify-for-event';
import {
  closeKafka,
  events,
  notificationsFor,
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

describe('an email that cannot be sent when its event is handled', () => {
  it('is committed PENDING first, and the retry job sends it exactly once later', async () => {
    // The use case as the consumer runs it, but with the SMTP server down (port 1 refuses).
    // Called directly, so no other test's consumer can handle this event first.
    const mailer = createSmtpMailer({
      url: 'smtp://127.0.0.1:1',
      from: 'Surge <no-reply@surge.local>',
      timeoutMs: 2_000,
    });
    const registered = events.userRegistered();
    const result = await notifyForEvent(
      {
        store: createNotificationRepository(service.db),
        mailer,
        metrics: { count: () => undefined },
        maxSendAttempts: 10,
      },
      registered,
    ).finally(() => mailer.close());

    expect(result).toMatchObject({
      outcome: 'recorded',
      deliveries: [{ result: { outcome: 'send_failed', attempts: 1 } }],
    });
    const { rows } = await service.db.query<{ status: string; last_error: string; due_in: number }>(
      `SELECT status, last_error, extract(epoch FROM due_at - now()) AS due_in FROM notifications WHERE event_id = $1`,
      [registered.id],
    );
    expect(rows[0]).toMatchObject({ status: 'PENDING', last_error: expect.stringMatching(/ECONNREFUSED/) });
    expect(Number(rows[0]!.due_in)).toBeGreaterThan(2); // backed off, not hammered

    // The running service's retry job picks it up once the backoff (5 s) ran out.
    const sent = await eventually(
      async () => {
        const found = await notificationsFor(service.db, registered.id);
        return found[0]?.status === 'SENT' ? found : undefined;
      },
      { what: 'the retry job to send it', timeoutMs: 30_000 },
    );
    expect(sent).toHaveLength(1);
    expect(await settledMailTo(registered.data.email)).toHaveLength(1);
  });
});
