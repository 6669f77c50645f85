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
  // One attempt: any thrown error would dead-letter at once, so what passes here is parking, not retrying.
  service = await startTestNotificationService({ EVENT_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  await service.stop();
  await closeKafka();
});

async function parked(eventId: string): Promise<boolean> {
  const { rowCount } = await service.db.query('SELECT 1 FROM deferred_events WHERE event_id = $1', [eventId]);
  return rowCount === 1;
}

describe('an order event that arrives before its user is known', () => {
  it('is parked without holding up other events, and sent once user.registered arrives', async () => {
    const late = events.userRegistered();
    const paid = events.orderPaid(late.data.userId);
    const known = events.userRegistered();
    await publish('users', known);
    await eventually(async () => ((await mailTo(known.data.email)).length ? true : undefined), {
      what: 'welcome',
    });

    await publish('orders', paid);
    await eventually(async () => ((await parked(paid.id)) ? true : undefined), {
      what: 'the order event to be parked',
    });
    // The consumer moved on: a known user's order behind it is handled right away.
    const other = events.orderPaid(known.data.userId);
    await publish('orders', other);
    await eventually(async () => ((await mailTo(known.data.email)).length === 2 ? true : undefined), {
      what: 'receipt',
    });
    expect(await notificationsFor(service.db, paid.id)).toHaveLength(0);

    await publish('users', late);

    const rows = await eventually(
      async () => {
        const found = await notificationsFor(service.db, paid.id);
        return found[0]?.status === 'SENT' ? found : undefined;
      },
      { what: 'the parked receipt to be sent' },
    );
    expect(rows).toHaveLength(1);
    expect(await parked(paid.id)).toBe(false);
    const subjects = (await settledMailTo(late.data.email, 2)).map((message) => message.Subject).sort();
    expect(subjects).toEqual([
      `Welcome to Surge, ${late.data.name}`,
      `Your Surge receipt for order ${paid.data.orderId.slice(0, 8)}`,
    ]);
    // Every test file's consumer reads the same topic into the same test database, so
    // another file's consumer may have parked this event first (it then counts here as a
    // duplicate). The rows above prove the parking; the metric proves it was counted.
    const metrics = await fetch(`${service.adminUrl}/metrics`).then((res) => res.text());
    expect(metrics).toMatch(
      /notifications_total\{[^}]*type="order.paid"[^}]*outcome="(deferred|duplicate)"[^}]*\} [1-9]/,
    );
  });

  it('a parked event redelivered before its user arrives still yields one email', async () => {
    const late = events.userRegistered();
    const paid = events.orderPaid(late.data.userId);

    await publish('orders', paid, paid);
    await eventually(async () => ((await parked(paid.id)) ? true : undefined), { what: 'parked' });
    await publish('users', late);

    const mail = await settledMailTo(late.data.email, 2);
    expect(mail).toHaveLength(2);
    expect(await notificationsFor(service.db, paid.id)).toHaveLength(1);
  });
});
