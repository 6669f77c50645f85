import { randomUUID } from 'node:crypto';
import { appendToOutbox } from '@surge/messaging';
import type { Queryable } from '@surge/postgres';
import { withSpan } from '../src';
import { startInMemorySdk, type InMemorySdk } from '../src/testing';

/** appendToOutbox and the trace context: what it stores in the row's headers. */
let sdk: InMemorySdk;
beforeAll(() => {
  sdk = startInMemorySdk();
});
afterAll(() => sdk.telemetry.shutdown());

/** A transaction that only records what it is asked to run. */
function recordingTx(): Queryable & { headers(): Record<string, string> } {
  const params: unknown[][] = [];
  return {
    query: async (_text: string, values?: unknown[]) => {
      params.push(values ?? []);
      return { rows: [], rowCount: 1 };
    },
    headers: () => JSON.parse(String(params[0]?.[7])) as Record<string, string>,
  };
}

function orderCreated() {
  const orderId = randomUUID();
  return {
    type: 'order.created' as const,
    source: '/surge/order',
    subject: orderId,
    data: {
      orderId,
      userId: randomUUID(),
      items: [{ productId: randomUUID(), quantity: 2, priceCents: 500 }],
      totalCents: 1_000,
      currency: 'EUR',
      version: 1,
    },
  };
}

describe('appendToOutbox and trace context', () => {
  it('stores the traceparent of the active span when the caller passes none', async () => {
    const tx = recordingTx();

    const { event, traceId, spanId } = await withSpan('checkout', {}, async (span) => ({
      event: await appendToOutbox(tx, orderCreated()),
      ...span.spanContext(),
    }));

    expect(tx.headers()).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
    expect(event.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('notes the append as an event on the active span', async () => {
    const tx = recordingTx();
    const event = await withSpan('checkout.create-order', {}, () => appendToOutbox(tx, orderCreated()));

    const span = (await sdk.finishedSpans()).find((s) => s.name === 'checkout.create-order');
    expect(span?.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        'outbox.append',
        {
          'messaging.message.id': event.id,
          'messaging.destination.name': 'orders',
          'surge.event.type': 'order.created',
        },
      ],
    ]);
  });

  it('keeps a traceparent the caller passes (a worker finishing an older request)', async () => {
    const tx = recordingTx();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    await withSpan('recovery', {}, () => appendToOutbox(tx, { ...orderCreated(), traceparent }));

    expect(tx.headers()).toEqual({ traceparent });
  });

  it('stores no traceparent outside any span', async () => {
    const tx = recordingTx();

    const event = await appendToOutbox(tx, orderCreated());

    expect(tx.headers()).toEqual({});
    expect(event.traceparent).toBeUndefined();
  });
});
