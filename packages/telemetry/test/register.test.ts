import { eventually } from '@surge/testing';
import path from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver';
import { nodeWithRegister, startTracedProcess } from './support/traced-process';

/** What `node --require <register>` does to a process, seen from outside it. */
const hello = path.join(__dirname, 'fixtures', 'hello-service.ts');
const api = require.resolve('@opentelemetry/api');
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

/** Starts a span in a process under the register and says whether it records. */
async function recordsSpans(env: Record<string, string>): Promise<boolean> {
  const script = `process.stdout.write(String(require(${JSON.stringify(api)}).trace.getTracer('t').startSpan('s').isRecording()))`;
  const child = nodeWithRegister(['-e', script], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, ...env });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  await new Promise((resolve) => child.once('exit', resolve));
  return out.trim() === 'true';
}

describe('the telemetry register', () => {
  it('traces nothing in a test process unless the test enables it', async () => {
    expect(await recordsSpans({ NODE_ENV: 'test' })).toBe(false);
    expect(await recordsSpans({ NODE_ENV: 'test', OTEL_SDK_DISABLED: 'false' })).toBe(true);
  });

  it('is switched off by OTEL_SDK_DISABLED=true', async () => {
    expect(await recordsSpans({ NODE_ENV: 'development', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(await recordsSpans({ NODE_ENV: 'development' })).toBe(true);
  });

  it('exports buffered spans before the process exits on SIGTERM', async () => {
    const service = await startTracedProcess(hello, {
      OTEL_SDK_DISABLED: 'false',
      OTEL_SERVICE_NAME: 'hello',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      // A minute: only the flush at exit can deliver the span within this test.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    });
    const answer = await fetch(`${service.url}/hello`);
    expect(answer.status).toBe(200);
    const logged = await eventually(() => service.lines.find((line) => line.msg === 'saying hello'), {
      what: 'the request log line',
    });

    expect(await service.stop()).toBe(0);

    const server = receiver.spans.find((s) => s.service === 'hello' && s.kind === 'server');
    expect(server).toMatchObject({ name: 'GET /hello', traceId: logged.trace_id });
    // service.version comes from the package.json nearest the main script.
    expect(server?.resource).toMatchObject({ 'service.name': 'hello', 'service.version': '0.1.0' });
    expect(server?.resource['service.instance.id']).toEqual(expect.any(String));
  });

  it('warns about a bad sampling ratio and starts anyway', async () => {
    const child = nodeWithRegister(['-e', 'process.exit(0)'], {
      OTEL_SDK_DISABLED: 'false',
      OTEL_TRACES_SAMPLER_ARG: 'lots',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stderr.trim())).toMatchObject({ level: 'warn', component: 'telemetry' });
    expect(stderr).toContain('OTEL_TRACES_SAMPLER_ARG=lots');
  });
});
