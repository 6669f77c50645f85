import { eventually } from '@surge/testing';
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

/** `kafka_consumer_lag` of this file's group, by topic (summed over partitions). */
async function lagByTopic(): Promise<Map<string, number>> {
  const text = await fetch(`${service.adminUrl}/metrics`).then((res) => res.text());
  const byTopic = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('kafka_consumer_lag{') || !line.includes(`group="${service.config.CONSUMER_GROUP}"`))
      continue;
    const topic = /topic="([^"]+)"/.exec(line)?.[1] ?? '';
    byTopic.set(topic, (byTopic.get(topic) ?? 0) + Number(line.split(' ').pop()));
  }
  return byTopic;
}

describe('GET /metrics of the notification service', () => {
  it('reports the consumer lag of its group on every consumed topic, back to zero once an event is handled', async () => {
    await publish('users', events.userRegistered({ name: 'Lag Watcher' }));

    const lag = await eventually(
      async () => {
        const current = await lagByTopic();
        const settled = current.size === 3 && [...current.values()].every((value) => value === 0);
        return settled ? current : undefined;
      },
      { what: 'the lag of every topic to be measured and back to zero' },
    );

    expect([...lag.keys()].sort()).toEqual(['orders', 'payments', 'users']);
  });
});
