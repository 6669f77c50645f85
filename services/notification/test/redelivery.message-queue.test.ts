import { eventually } from '@surge/testing';
import {
  closeKafka,
  events,
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

describe('an event Kafka delivers more than once', () => {
  it('when the same ce_id is published twice, one notification and one email result', async () => {
    const registered = events.userRegistered();

    await publish('users', registered);
    await publish('users', registered);

    const mail = await settledMailTo(registered.data.email);
    expect(mail).toHaveLength(1);
    const rows = await notificationsFor(service.db, registered.id);
    expect(rows).toHaveLength(1);
    const inbox = await service.db.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [
      'notification',
      registered.id,
    ]);
    expect(inbox.rowCount).toBe(1);
  });

  it('when the same fact comes again under a new event id (same aggregate version), it is not sent again', async () => {
    const registered = events.userRegistered();
    await publish('users', registered);
    await settledMailTo(registered.data.email);
    const paid = events.orderPaid(registered.data.userId);
    const reEmitted = { ...paid, id: crypto.randomUUID() };

    await publish('orders', paid, reEmitted);

    const mail = await settledMailTo(registered.data.email, 2);
    expect(mail.map((message) => message.Subject).sort()).toEqual([
      `Welcome to Surge, ${registered.data.name}`,
      `Your Surge receipt for order ${paid.data.orderId.slice(0, 8)}`,
    ]);
    await eventually(
      async () => ((await notificationsFor(service.db, paid.id)).length === 1 ? true : undefined),
      { what: 'the receipt row' },
    );
    expect(await notificationsFor(service.db, reEmitted.id)).toHaveLength(0);
  });
});
