import { Writable } from 'node:stream';
import { createLogger } from '@surge/logger';
import { installLogCorrelation, withSpan } from '../src';
import { startInMemorySdk, type InMemorySdk } from '../src/testing';

let sdk: InMemorySdk;
beforeAll(() => {
  sdk = startInMemorySdk();
  installLogCorrelation();
});
afterAll(() => sdk.telemetry.shutdown());

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ service: 'test', destination }), lines };
}

describe('log correlation', () => {
  it('puts the active span’s trace_id and span_id on a log line written inside it', async () => {
    const { log, lines } = captureLogger();

    const ids = await withSpan('place-order', {}, (span) => {
      log.info({ orderId: 'o1' }, 'order paid');
      return span.spanContext();
    });

    expect(lines[0]).toMatchObject({ msg: 'order paid', trace_id: ids.traceId, span_id: ids.spanId });
  });

  it('adds neither outside a span', () => {
    const { log, lines } = captureLogger();

    log.info('starting');

    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('span_id');
  });
});
