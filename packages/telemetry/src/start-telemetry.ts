import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ParentBasedSampler, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TelemetryConfig } from './config';
import { EdgeDecisionSampler, setEdgePolicy } from './edge-policy';
import { EdgeSampler } from './edge-sampler';
import { createInstrumentations } from './instrumentations';
import { setRequestSamplingPolicy } from './request-sampling';

export interface RunningTelemetry {
  /** Exports what is buffered and stops; safe to call more than once. */
  shutdown(): Promise<void>;
}

export interface StartTelemetryOptions {
  /** Replaces the OTLP exporter (tests use an in-memory one). */
  spanProcessors?: SpanProcessor[];
  /** Replaces the default instrumentations (unit tests that patch nothing). */
  instrumentations?: ReturnType<typeof createInstrumentations>;
}

/**
 * Starts the OpenTelemetry Node SDK: the instrumentations, W3C trace context, a
 * parent-based ratio sampler and OTLP/HTTP (JSON) export in batches. Disabled: a no-op,
 * and the API stays the no-op API, so `withSpan` and messaging cost next to nothing.
 */
export function startTelemetry(
  config: TelemetryConfig,
  options: StartTelemetryOptions = {},
): RunningTelemetry {
  if (!config.enabled) return { shutdown: async () => undefined };
  const sdk = new NodeSDK({
    // Merged under the env detector, so OTEL_RESOURCE_ATTRIBUTES still wins.
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: config.serviceName,
        [ATTR_SERVICE_VERSION]: config.serviceVersion,
        // Incubating in semantic-conventions, so spelled out rather than imported.
        'service.instance.id': config.instanceId,
      }),
    ),
    // A request that arrives sampled (or not) keeps that decision across every service,
    // so a trace is never half recorded; only new traces are sampled by ratio. At the
    // edge (the gateway) a client's decision is not kept: edge-sampler.ts.
    // A listener that makes its own server spans (listenerSpans) has decided already.
    sampler: new EdgeDecisionSampler(
      config.sampling === 'edge'
        ? new EdgeSampler(config.sampleRatio)
        : new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    ),
    // Batches as the OTEL_BSP_* variables say (default: every 5 s or 512 spans).
    ...(options.spanProcessors
      ? { spanProcessors: options.spanProcessors }
      : { traceExporter: new OTLPTraceExporter({ url: config.tracesUrl }) }),
    instrumentations:
      options.instrumentations ??
      createInstrumentations({
        expressRoutes: config.serviceName !== 'gateway',
        listenerSpans: config.listenerSpans === true,
      }),
    // Traces only: metrics stay on prom-client's /metrics, logs on stdout. Without these
    // the SDK would also push metrics and logs over OTLP, which Jaeger refuses.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  // The same decision the samplers above make, for the listener that decides first.
  setEdgePolicy(
    config.listenerSpans
      ? { ratio: config.sampleRatio, followRemoteDecision: config.sampling === 'parent' }
      : undefined,
  );
  // Every other server decides before the HTTP instrumentation (request-sampling.ts).
  setRequestSamplingPolicy(
    config.listenerSpans
      ? undefined
      : { ratio: config.sampleRatio, followRemoteDecision: config.sampling === 'parent' },
  );
  let stopping: Promise<void> | undefined;
  return {
    // An unreachable collector must not turn a clean shutdown into a failed one.
    shutdown: () =>
      (stopping ??= sdk
        .shutdown()
        .catch(() => undefined)
        .finally(() => {
          setEdgePolicy(undefined);
          setRequestSamplingPolicy(undefined);
        })),
  };
}
