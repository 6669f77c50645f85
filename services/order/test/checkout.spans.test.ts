import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry, type RunningTelemetry } from '@surge/telemetry';
import { checkoutBody, placeOrder, startOrderHarness, type OrderHarness } from './support/order-service';

// The real OpenTelemetry SDK in this process, exporting to memory and patching nothing:
// the spans below are the saga's own (withSpan), not HTTP or pg instrumentation.
const exporter = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor({ exporter });
let telemetry: RunningTelemetry;
let h: OrderHarness;
beforeAll(async () => {
  telemetry = startTelemetry(
    {
      enabled: true,
      serviceName: 'order',
      serviceVersion: '0.0.0',
      instanceId: 'test',
      tracesUrl: 'http://127.0.0.1:9/v1/traces',
      sampleRatio: 1,
      sampling: 'parent',
    },
    { spanProcessors: [processor], instrumentations: [] },
  );
  h = await startOrderHarness();
});
afterEach(() => {
  h.payment.mode = 'normal';
});
afterAll(async () => {
  await h.stop();
  await telemetry.shutdown();
});

/** The spans of the checkout of `orderId`: its place-order span and every span below it. */
async function checkoutSpans(orderId: string): Promise<ReadableSpan[]> {
  await processor.forceFlush();
  const spans = exporter.getFinishedSpans();
  const root = spans.find(
    (span) => span.name === 'checkout.place-order' && span.attributes['surge.order.id'] === orderId,
  );
  if (!root) throw new Error(`no checkout.place-order span for ${orderId}`);
  return spans.filter((span) => span.spanContext().traceId === root.spanContext().traceId);
}

const named = (spans: ReadableSpan[], name: string) => {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no ${name} span among ${spans.map((s) => s.name).join(', ')}`);
  return span;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('the checkout saga as spans', () => {
  it('a paid checkout is one place-order span with a child per step, attributes on each', async () => {
    const product = h.product.addProduct(900, 5);
    const { token, userId } = h.token();

    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 2 }]));

    expect(res.status).toBe(201);
    const spans = await checkoutSpans(res.body.id);
    const root = named(spans, 'checkout.place-order');
    expect(root.attributes).toMatchObject({
      'user.id': userId,
      'surge.order.id': res.body.id,
      'surge.order.item_count': 1,
      'surge.checkout.outcome': 'paid',
      'surge.checkout.replayed': false,
    });
    expect(root.events).toEqual([
      expect.objectContaining({
        name: 'checkout.idempotency',
        attributes: { 'surge.checkout.idempotency': 'new' },
      }),
    ]);
    for (const step of ['checkout.reserve', 'checkout.create-order', 'checkout.charge', 'checkout.settle']) {
      const span = named(spans, step);
      expect(parentOf(span)).toBe(root.spanContext().spanId);
      expect(span.attributes['surge.order.id']).toBe(res.body.id);
    }
    expect(named(spans, 'checkout.reserve').attributes['surge.reservation.result']).toBe('reserved');
    expect(named(spans, 'checkout.charge').attributes).toMatchObject({
      'surge.payment.attempt': 1,
      'surge.payment.outcome': 'captured',
    });
    expect(named(spans, 'checkout.settle').attributes['surge.order.status']).toBe('PAID');
    const commit = named(spans, 'checkout.commit-reservation');
    expect(parentOf(commit)).toBe(named(spans, 'checkout.settle').spanContext().spanId);
    expect(commit.attributes['surge.saga.compensation']).toBe(false);
  });

  it('a declined checkout ends in a compensation span that releases the reservation', async () => {
    const product = h.product.addProduct(400, 5);
    const { token } = h.token();

    const res = await placeOrder(
      h,
      token,
      checkoutBody([{ productId: product.id, quantity: 1 }], 'tok_decline'),
    );

    expect(res.status).toBe(402);
    const spans = await checkoutSpans(String(res.body.orderId));
    expect(named(spans, 'checkout.place-order').attributes['surge.checkout.outcome']).toBe('declined');
    const release = named(spans, 'checkout.release-reservation');
    expect(parentOf(release)).toBe(named(spans, 'checkout.settle').spanContext().spanId);
    expect(release.attributes).toMatchObject({
      'surge.order.id': res.body.orderId,
      'surge.saga.compensation': true,
    });
  });

  it('failed attempts and retries of the payment call are events on the charge span', async () => {
    const product = h.product.addProduct(400, 5);
    const { token } = h.token();
    h.payment.mode = 'down';

    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));

    expect(res.status).toBe(202);
    const spans = await checkoutSpans(res.body.id);
    const charge = named(spans, 'checkout.charge');
    expect(charge.attributes['surge.payment.outcome']).toBe('unknown');
    const events = charge.events.map((event) => event.name);
    expect(events).toContain('upstream.attempt_failed');
    expect(events).toContain('upstream.retry');
    expect(charge.events.find((event) => event.name === 'upstream.attempt_failed')?.attributes).toMatchObject(
      {
        'surge.upstream': 'payment',
        'surge.upstream.outcome': 'server_error',
        'http.response.status_code': 503,
      },
    );
    expect(named(spans, 'checkout.place-order').attributes['surge.checkout.outcome']).toBe('pending');
  });
});
