import { eventually } from '@surge/testing';
import {
  closeKafka,
  events,
  mailTo,
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

/** A user the service has projected already (its welcome email arrived). */
async function knownUser() {
  const registered = events.userRegistered({ name: 'Alan Test' });
  await publish('users', registered);
  await eventually(async () => ((await mailTo(registered.data.email)).length ? true : undefined), {
    what: 'welcome',
  });
  return registered.data;
}

describe('order and payment events of a projected user', () => {
  it('order.paid sends a receipt with the order, payment and total', async () => {
    const user = await knownUser();
    const paid = events.orderPaid(user.userId, { totalCents: 4_250, currency: 'EUR' });

    await publish('orders', paid);

    const mail = await settledMailTo(user.email, 2);
    const receipt = mail.find((message) => message.Subject.startsWith('Your Surge receipt'));
    expect(receipt?.Subject).toBe(`Your Surge receipt for order ${paid.data.orderId.slice(0, 8)}`);
    expect(mail).toHaveLength(2);
    const raw = await fetch(`${process.env.MAILPIT_URL}/api/v1/message/${receipt!.ID}`).then(
      (res) => res.json() as Promise<{ Text: string }>,
    );
    expect(raw.Text).toContain(paid.data.orderId);
    expect(raw.Text).toContain(paid.data.paymentId);
    expect(raw.Text).toContain('42.50 EUR');
  });

  it('order.cancelled and payment.refunded each send their own email', async () => {
    const user = await knownUser();
    const cancelled = events.orderCancelled(user.userId);
    const refunded = events.paymentRefunded(user.userId, { orderId: cancelled.data.orderId });

    await publish('orders', cancelled);
    await publish('payments', refunded);

    const subjects = (await settledMailTo(user.email, 3)).map((message) => message.Subject).sort();
    const order = cancelled.data.orderId.slice(0, 8);
    expect(subjects).toEqual([
      `Welcome to Surge, ${user.name}`,
      `Your Surge order ${order} was cancelled`,
      `Your refund for order ${order}`,
    ]);
  });

  it('ignores events that notify nobody (order.created)', async () => {
    const user = await knownUser();
    const created = events.orderCreated(user.userId);
    const paid = events.orderPaid(user.userId, { orderId: created.data.orderId });

    await publish('orders', created, paid);

    const mail = await settledMailTo(user.email, 2);
    expect(mail).toHaveLength(2);
  });
});
