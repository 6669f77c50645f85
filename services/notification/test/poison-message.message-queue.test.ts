import { eventually } from '@surge/testing';
import { randomUUID } from 'node:crypto';
import {
  closeKafka,
  events,
  mailTo,
  publish,
  publishRaw,
  settledMailTo,
  startTestNotificationService,
  watchTopic,
  type TestNotificationService,
} from './support';

let service: TestNotificationService;
let deadLetters: Awaited<ReturnType<typeof watchTopic>>;
beforeAll(async () => {
  service = await startTestNotificationService();
  deadLetters = await watchTopic('orders.dlq');
});
afterAll(async () => {
  await deadLetters.stop();
  await service.stop();
  await closeKafka();
});

function ceHeaders(id: string, type: string): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: id,
    ce_source: '/surge/poison-test',
    ce_type: type,
    ce_time: new Date().toISOString(),
    ce_subject: id,
    'content-type': 'application/json',
  };
}

describe('poison messages on the orders topic', () => {
  it('go to orders.dlq with the error, and the consumer goes on to the next event', async () => {
    const registered = events.userRegistered();
    await publish('users', registered);
    await eventually(async () => ((await mailTo(registered.data.email)).length ? true : undefined), {
      what: 'welcome',
    });
    const paid = events.orderPaid(registered.data.userId);
    const notJson = randomUUID();
    const unknownType = randomUUID();
    // One key for all three: same partition, so the valid event queues behind the poison.
    const key = paid.data.orderId;

    await publishRaw('orders', { key, value: '{"orderId": oops', headers: ceHeaders(notJson, 'order.paid') });
    await publishRaw('orders', { key, value: '{}', headers: ceHeaders(unknownType, 'order.teleported') });
    await publish('orders', paid);

    const mine = (id: string) =>
      deadLetters.seen.find(
        (m) => m.headers.ce_id === id && m.headers['x-dlq-group'] === service.config.CONSUMER_GROUP,
      );
    const [first, second] = await eventually(
      async () => {
        const found = [mine(notJson), mine(unknownType)];
        return found.every(Boolean) ? found : undefined;
      },
      { what: 'both poison messages in orders.dlq' },
    );
    expect(first).toMatchObject({
      key,
      value: '{"orderId": oops',
      headers: { ce_type: 'order.paid', 'x-dlq-error': 'event data is not JSON' },
    });
    expect(first!.headers['x-dlq-source']).toMatch(/^orders\/\d+\/\d+$/);
    expect(second!.headers['x-dlq-error']).toBe('unknown event type order.teleported');

    const subjects = (await settledMailTo(registered.data.email, 2)).map((message) => message.Subject);
    expect(subjects).toContain(`Your Surge receipt for order ${paid.data.orderId.slice(0, 8)}`);
  });
});
