import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry, type RunningTelemetry } from '../../src';

export interface InMemorySdk {
  telemetry: RunningTelemetry;
  /** Ended spans, once their export settled (it waits for async resource attributes). */
  finishedSpans(): Promise<ReadableSpan[]>;
}

/**
 * The real SDK inside the test process (jest gives each file its own globals), with
 * spans kept in memory and nothing patched: for what needs no second process.
 */
export function startInMemorySdk(): InMemorySdk {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const telemetry = startTelemetry(
    {
      enabled: true,
      serviceName: 'in-memory',
      serviceVersion: '0.0.0',
      instanceId: 'test',
      tracesUrl: 'http://127.0.0.1:9/v1/traces',
      sampleRatio: 1,
      sampling: 'parent',
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
