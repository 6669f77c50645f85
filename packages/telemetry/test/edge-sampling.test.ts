import path from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver';
import { startTracedProcess } from './support/traced-process';

/**
 * A client sends `traceparent: ...-01` to force its request to be traced. A process at
 * the edge, sampling 0 of requests, must record nothing for it; a service (parent-based,
 * behind the gateway) follows the flag, which is why only the edge may face clients.
 */
const hello = path.join(__dirname, 'fixtures', 'hello-service.ts');
const forced = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

async function serverSpansAfterForcedRequest(serviceName: string, sampling: string): Promise<number> {
  const service = await startTracedProcess(hello, {
    OTEL_SDK_DISABLED: 'false',
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_TRACES_SAMPLER_ARG: '0',
    SURGE_TRACE_SAMPLING: sampling,
  });
  const answer = await fetch(`${service.url}/hello`, { headers: { traceparent: forced } });
  expect(answer.status).toBe(200);
  // The register flushes every finished span before the process exits.
  expect(await service.stop()).toBe(0);
  return receiver.spans.filter((span) => span.service === serviceName && span.kind === 'server').length;
}

describe("a client's traceparent with the sampled flag", () => {
  it('makes no trace at the edge, whose ratio is 0', async () => {
    expect(await serverSpansAfterForcedRequest('edge-under-test', 'edge')).toBe(0);
  });

  it('is followed by a parent-based service (the control: the flag does force a trace there)', async () => {
    expect(await serverSpansAfterForcedRequest('parent-under-test', 'parent')).toBe(1);
  });
});
