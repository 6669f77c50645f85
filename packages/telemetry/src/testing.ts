import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { TelemetryConfig } from './config';
import { startTelemetry, type RunningTelemetry } from './start-telemetry';

/**
 * Test support, exported as `@surge/telemetry/testing` so that services' tests trace with
 * the same SDK set-up as this package's own; no service's source imports it.
 */
export interface InMemorySdk {
  telemetry: RunningTelemetry;
  /** Ended spans, once their export settled (it waits for async resource attributes). */
  finishedSpans(): Promise<ReadableSpan[]>;
}

/**
 * What a test may set of the configuration: a process's identity and sampling (the
 * gateway's tests: `{ serviceName: 'gateway', sampling: 'edge', listenerSpans: true,
 * sampleRatio }`). By default every trace is recorded and a caller's decision is kept.
 */
export type InMemorySdkOptions = Partial<
  Pick<TelemetryConfig, 'serviceName' | 'sampleRatio' | 'sampling' | 'listenerSpans'>
>;

/**
 * The real SDK inside the test process (jest gives each file its own globals, so one
 * configuration per file), with spans kept in memory and nothing patched: for what needs
 * no second process.
 */
export function startInMemorySdk(options: InMemorySdkOptions = {}): InMemorySdk {
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
      ...options,
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
