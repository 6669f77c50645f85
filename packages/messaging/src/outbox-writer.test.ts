import { randomUUID } from 'node:crypto';
import type { Queryable } from '@surge/postgres';
import { appendToOutbox } from './outbox-writer';

/**
 * Without a tracing SDK (every jest worker, any process started without the telemetry
 * register) the outbox stores exactly the traceparent it is given. With the SDK it
 * captures the active one: packages/telemetry/test/outbox-trace-context.test.ts.
 */
function recordingTx() {
  const calls: unknown[][] = [];
  const tx: Queryable = {
    query: async (_text: string, values?: unknown[]) => {
      calls.push(values ?? []);
      return { rows: [], rowCount: 1 };
    },
  };
  return { tx, headers: () => JSON.parse(String(calls[0]?.[7])) as Record<string, string> };
}

const userRegistered = () => {
  const userId = randomUUID();
  return {
    type: 'user.registered' as const,
    source: '/surge/user',
    subject: userId,
    data: { userId, email: `${userId}@example.test`, name: 'Ada', version: 1 },
  };
};

describe('appendToOutbox without a tracing SDK', () => {
  it('stores the traceparent the caller passes', async () => {
    const { tx, headers } = recordingTx();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    const event = await appendToOutbox(tx, { ...userRegistered(), traceparent });

    expect(headers()).toEqual({ traceparent });
    expect(event.traceparent).toBe(traceparent);
  });

  it('stores no traceparent when none is given', async () => {
    const { tx, headers } = recordingTx();

    const event = await appendToOutbox(tx, userRegistered());

    expect(headers()).toEqual({});
    expect(event).not.toHaveProperty('traceparent');
  });
});
