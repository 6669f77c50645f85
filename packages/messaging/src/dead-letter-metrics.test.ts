import { Registry } from 'prom-client';
import { registerDeadLetterMetric } from './dead-letter-metrics';

describe('the dead-letter metric', () => {
  it('counts moved messages by group and source topic', async () => {
    const registry = new Registry();
    const deadLettered = registerDeadLetterMetric(registry, 'notification');
    deadLettered('orders');
    deadLettered('orders');
    deadLettered('users');
    const text = await registry.metrics();
    expect(text).toContain('kafka_dead_lettered_total{group="notification",topic="orders"} 2');
    expect(text).toContain('kafka_dead_lettered_total{group="notification",topic="users"} 1');
  });
});
