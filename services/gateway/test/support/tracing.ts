import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry, type RunningTelemetry } from '@surge/telemetry';

export interface GatewayTracing {
  telemetry: RunningTelemetry;
  /** Ended spans, once their export settled. */
  finishedSpans(): Promise<ReadableSpan[]>;
}

/**
 * The real tracing SDK in the test process, configured as the gateway's register
 * configures it (edge sampling at `sampleRatio`, server spans made by the listener),
 * with spans kept in memory. jest gives each test file its own globals, so one ratio
 * per file.
 */
export function startGatewayTracing(sampleRatio: number): GatewayTracing {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const telemetry = startTelemetry(
    {
      enabled: true,
      serviceName: 'gateway',
      serviceVersion: '0.0.0',
      instanceId: 'test',
      tracesUrl: 'http://127.0.0.1:9/v1/traces',
      sampleRatio,
      sampling: 'edge',
      listenerSpans: true,
    },
    { spanProcessors: [processor], instrumentations: [] },
  );
  return {
    telemetry,
    finishedSpans: async () => {
      await processor.forceFlush();
      return exporter.getFinishedSpans();
    },
  };
}

/** `traceparent` as W3C Trace Context writes it: version, trace id, parent id, flags. */
export const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;
