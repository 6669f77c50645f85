import { Counter, type Registry } from 'prom-client';

/**
 * `kafka_dead_lettered_total{group,topic}`: messages this instance moved to a dead-letter
 * topic since it started. The operations console shows it beside consumer lag; the
 * messages themselves are listed and replayed with the stack's `dlq` command.
 */
export function registerDeadLetterMetric(registry: Registry, groupId: string): (topic: string) => void {
  const counter = new Counter({
    name: 'kafka_dead_lettered_total',
    help: 'Messages moved to a dead-letter topic by this consumer, by source topic',
    labelNames: ['group', 'topic'],
    registers: [registry],
  });
  return (topic) => counter.inc({ group: groupId, topic });
}
