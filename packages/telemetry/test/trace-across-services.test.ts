import path from 'node:path';
import { createKafka, ensureTopics } from '@surge/messaging';
import { createLogger } from '@surge/logger';
import {
  createScratchDatabase,
  testInfra,
  uniqueSuffix,
  type ScratchDatabase,
  testKafkaCredentials,
  eventually,
} from '@surge/testing';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { startTracedProcess, type TracedProcess } from './support/traced-process';

/**
 * One checkout, one trace: two real processes under the telemetry register, an HTTP call
 * between them, an event through the real outbox, relay and Kafka, and a consumer; every
 * span must land in one trace with the right parents.
 */
const fixtures = path.join(__dirname, 'fixtures');
const suffix = uniqueSuffix();
const topic = `telemetry-trace-${suffix}`;
let receiver: OtlpReceiver;
let database: ScratchDatabase;
let back: TracedProcess;
let front: TracedProcess;

beforeAll(async () => {
  const { kafkaBrokers } = testInfra();
  receiver = await startOtlpReceiver();
  database = await createScratchDatabase('telemetry');
  const kafka = createKafka({
    brokers: kafkaBrokers.split(','),
    clientId: 'telemetry-test',
    logger: createLogger({ service: 'telemetry-test', level: 'warn' }),
    sasl: testKafkaCredentials(),
  });
  await ensureTopics(kafka, [topic], 1);
  const common = {
    OTEL_SDK_DISABLED: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    KAFKA_BROKERS: kafkaBrokers,
    // Both fixtures publish or read this file's own topic: the test principal may.
    KAFKA_SASL_USERNAME: testKafkaCredentials().username,
    KAFKA_SASL_PASSWORD: testKafkaCredentials().password,
    TEST_TOPIC: topic,
  };
  back = await startTracedProcess(path.join(fixtures, 'back-service.ts'), {
    ...common,
    OTEL_SERVICE_NAME: 'back',
    DATABASE_URL: database.url,
  });
  front = await startTracedProcess(path.join(fixtures, 'front-service.ts'), {
    ...common,
    OTEL_SERVICE_NAME: 'front',
    BACK_URL: back.url,
    TEST_GROUP: `telemetry-trace-${suffix}`,
  });
});

afterAll(async () => {
  await Promise.all([front?.stop(), back?.stop()]);
  await receiver?.close();
  await database?.drop();
});

function only(spans: ReceivedSpan[], what: string, match: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(match);
  if (found.length !== 1) {
    const names = spans.map((s) => `${s.service}:${s.kind}:${s.name}`).join(', ');
    throw new Error(`expected one ${what}, found ${found.length} among ${names}`);
  }
  return found[0]!;
}

describe('a checkout across two services and Kafka', () => {
  it('is one trace: front server -> undici call -> back server -> outbox publish -> front consumer', async () => {
    const answer = await fetch(`${front.url}/checkout`, { method: 'POST' });
    expect(answer.status).toBe(201);
    const { eventId } = (await answer.json()) as { eventId: string };

    const consumer = await eventually(
      () =>
        receiver.spans.find((s) => s.kind === 'consumer' && s.attributes['messaging.message.id'] === eventId),
      { what: 'the consumer span' },
    );
    // Each process exports on its own schedule: wait until both have sent their part.
    const trace = await eventually(
      () => {
        const spans = receiver.spans.filter((s) => s.traceId === consumer.traceId);
        const complete =
          spans.some((s) => s.spanId === consumer.parentSpanId) &&
          spans.some((s) => s.service === 'back' && s.kind === 'server') &&
          spans.some((s) => s.service === 'front' && s.kind === 'server');
        return complete ? spans : undefined;
      },
      { what: 'both processes to export the trace' },
    );
    const byId = new Map(trace.map((s) => [s.spanId, s]));

    const root = only(trace, 'root span', (s) => s.parentSpanId === '');
    expect(root).toMatchObject({ service: 'front', kind: 'server', name: 'POST /checkout' });
    const call = only(trace, 'undici call', (s) => s.service === 'front' && s.kind === 'client');
    expect(byId.get(call.parentSpanId)?.service).toBe('front');
    const served = only(trace, 'back server span', (s) => s.service === 'back' && s.kind === 'server');
    expect(served.parentSpanId).toBe(call.spanId);
    const publish = only(trace, 'publish span', (s) => s.kind === 'producer');
    expect(publish).toMatchObject({ service: 'back', name: `${topic} publish` });
    // The publish hangs off the request that wrote the row, not off the relay's loop.
    expect(ancestors(publish, byId)).toContain(served.spanId);
    expect(consumer).toMatchObject({
      service: 'front',
      name: `${topic} process`,
      parentSpanId: publish.spanId,
    });
    expect(consumer.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.message.id': eventId,
      'surge.event.type': 'order.created',
    });
    expect(typeof consumer.attributes['messaging.kafka.message.key']).toBe('string');
    // The transaction's span noted the append, and the INSERT itself was traced.
    expect(trace.some((s) => s.service === 'back' && s.events.includes('outbox.append'))).toBe(true);
    const statements = trace.map((s) => String(s.attributes['db.query.text'] ?? ''));
    expect(statements.some((text) => text.startsWith('INSERT INTO outbox'))).toBe(true);
  });

  it("puts the consumer span's trace and span ids on the log lines written while handling", async () => {
    const answer = await fetch(`${front.url}/checkout`, { method: 'POST' });
    const { eventId } = (await answer.json()) as { eventId: string };

    const handled = await eventually(
      () => front.lines.find((line) => line.msg === 'event handled' && line.eventId === eventId),
      { what: 'the handler log line' },
    );
    const consumer = await eventually(
      () =>
        receiver.spans.find((s) => s.kind === 'consumer' && s.attributes['messaging.message.id'] === eventId),
      { what: 'the consumer span' },
    );
    expect(handled).toMatchObject({ trace_id: consumer.traceId, span_id: consumer.spanId });
    const written = back.lines.find((line) => line.msg === 'order written' && line.eventId === eventId);
    expect(written?.trace_id).toBe(consumer.traceId);
  });
});

function ancestors(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): string[] {
  const ids: string[] = [];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) {
    ids.push(parent.spanId);
  }
  return ids;
}
