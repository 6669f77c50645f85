import { startInMemorySdk, type InMemorySdk } from '@surge/telemetry/testing';
import { startTestGateway, type TestGateway } from './gateway';
import { startStubUpstream, type StubUpstream } from './stub-upstream';

export type GatewayTracing = InMemorySdk;

/**
 * The real tracing SDK in the test process, configured as the gateway's register
 * configures it (edge sampling at `sampleRatio`, server spans made by the listener),
 * with spans kept in memory. jest gives each test file its own globals, so one ratio
 * per file.
 */
function startGatewayTracing(sampleRatio: number): GatewayTracing {
  return startInMemorySdk({ serviceName: 'gateway', sampleRatio, sampling: 'edge', listenerSpans: true });
}

export interface TracedGateway {
  tracing: GatewayTracing;
  /** Serves every service the gateway proxies to, echoing each request (its traceparent too). */
  stub: StubUpstream;
  gateway: TestGateway;
  /** In the reverse order of the start: the gateway, the upstream, then the SDK. */
  stop(): Promise<void>;
}

/**
 * The set-up of a trace-context test: the SDK first (so the gateway's listener traces
 * from its first request), then one echoing upstream behind the gateway's user and
 * product routes.
 */
export async function startTracedGateway(sampleRatio: number): Promise<TracedGateway> {
  const tracing = startGatewayTracing(sampleRatio);
  const stub = await startStubUpstream([]);
  const gateway = await startTestGateway({ USER_SERVICE_URL: stub.url, PRODUCT_SERVICE_URL: stub.url });
  return {
    tracing,
    stub,
    gateway,
    stop: async () => {
      await gateway.stop();
      await stub.close();
      await tracing.telemetry.shutdown();
    },
  };
}

/** `traceparent` as W3C Trace Context writes it: version, trace id, parent id, flags. */
export const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;
