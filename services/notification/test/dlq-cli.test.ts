import { randomUUID } from 'node:crypto';
import { testInfra, eventually } from '@surge/testing';
import { dlq } from '@surge/stack/commands';
import { closeKafka, events, publishRaw, toHeaders, watchTopic } from './support';

/**
 * `npm run stack -- dlq` against the real broker. (It lives here because the CLI's own tests
 * are outside this work's folders.) The dead letter is an order.created, which no
 * consumer turns into an email, so replaying it into `orders` has no side effects.
 */
afterAll(() => closeKafka());

async function run(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await dlq(args, { env: { KAFKA_BROKERS: testInfra().kafkaBrokers }, out: (line) => lines.push(line) });
  return lines;
}

async function deadLetter(): Promise<string> {
  const created = events.orderCreated(randomUUID());
  await publishRaw('orders.dlq', {
    key: created.subject,
    value: JSON.stringify(created.data),
    headers: {
      ...toHeaders(created),
      'x-dlq-error': 'test: handler exploded',
      'x-dlq-source': 'orders/4/1234',
      'x-dlq-group': 'notification-dlq-test',
    },
  });
  return created.id;
}

describe('npm run stack -- dlq', () => {
  it('list prints each dead letter with its source, error, type, id and key', async () => {
    const id = await deadLetter();

    const lines = await run(['list', 'orders']);

    expect(lines[0]).toMatch(/^orders\.dlq: \d+ message\(s\)$/);
    const at = lines.findIndex((line) => line.includes(`ce_id=${id}`));
    expect(at).toBeGreaterThan(0);
    expect(lines[at]).toMatch(
      /orders\.dlq\/\d+@\d+ {2}\d{4}-\d\d-\d\dT.*Z {2}ce_type=order\.created {2}ce_id=/,
    );
    expect(lines[at + 1]).toBe('      source: orders/4/1234 (group notification-dlq-test)');
    expect(lines[at + 2]).toBe('      error:  test: handler exploded');
  });

  it('list without a topic covers every event topic', async () => {
    const lines = await run(['list']);
    for (const topic of ['orders', 'payments', 'products', 'users']) {
      expect(lines.some((line) => line.startsWith(`${topic}.dlq: `))).toBe(true);
    }
  });

  it('replay --id republishes that message once, without x-dlq headers; a second replay publishes nothing', async () => {
    const id = await deadLetter();
    const orders = await watchTopic('orders');
    try {
      const first = await run(['replay', 'orders', '--id', id]);
      const second = await run(['replay', 'orders', '--id', id]);

      expect(first.at(-1)).toBe('replayed 1 message(s) from orders.dlq to orders; 0 already replayed before');
      expect(second.at(-1)).toBe(
        'replayed 0 message(s) from orders.dlq to orders; 1 already replayed before',
      );
      const copy = await eventually(async () => orders.seen.find((m) => m.headers.ce_id === id), {
        what: 'the replayed message on orders',
      });
      expect(copy.headers.ce_type).toBe('order.created');
      expect(Object.keys(copy.headers).filter((name) => name.startsWith('x-dlq-'))).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(orders.seen.filter((m) => m.headers.ce_id === id)).toHaveLength(1);
      const listed = await run(['list', 'orders']);
      const at = listed.findIndex((line) => line.includes(`ce_id=${id}`));
      expect(listed[at + 3]).toMatch(/^ {6}replayed: \d{4}-/);
    } finally {
      await orders.stop();
    }
  });

  it('replay of an id that is not dead-lettered fails clearly', async () => {
    await expect(run(['replay', 'orders', '--id', 'no-such-id'])).rejects.toThrow(
      'no message with ce_id no-such-id in orders.dlq',
    );
  });
});
