import { SpanStatusCode, trace } from '@opentelemetry/api';
import { addEvent, setSpanAttributes, withSpan } from '../src';
import { startInMemorySdk, type InMemorySdk } from '../src/testing';

let sdk: InMemorySdk;
beforeAll(() => {
  sdk = startInMemorySdk();
});
afterAll(() => sdk.telemetry.shutdown());

const finished = async (name: string) => (await sdk.finishedSpans()).find((span) => span.name === name);

describe('withSpan', () => {
  it('runs the function in a child of the active span, with its attributes, events and result', async () => {
    const result = await withSpan('checkout', { 'order.id': 'o1' }, () =>
      withSpan('checkout.reserve', { 'item.count': 2 }, async () => {
        addEvent('stock.reserved', { 'product.count': 2 });
        setSpanAttributes({ 'reservation.status': 'RESERVED' });
        return 'reserved';
      }),
    );

    expect(result).toBe('reserved');
    const parent = await finished('checkout');
    const child = await finished('checkout.reserve');
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(child?.attributes).toEqual({ 'item.count': 2, 'reservation.status': 'RESERVED' });
    expect(child?.events.map((event) => event.name)).toEqual(['stock.reserved']);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('records a thrown error on the span and rethrows it unchanged', async () => {
    const error = new Error('payment service down');

    await expect(withSpan('checkout.charge', {}, () => Promise.reject(error))).rejects.toBe(error);

    const span = await finished('checkout.charge');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'payment service down' });
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
  });
});
