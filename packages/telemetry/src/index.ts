export { readTelemetryConfig, DEFAULT_OTLP_ENDPOINT } from './config';
export type { TelemetryConfig, ConfigDefaults } from './config';
export { startTelemetry } from './start-telemetry';
export type { RunningTelemetry, StartTelemetryOptions } from './start-telemetry';
export { installLogCorrelation, traceFields } from './log-correlation';
export { withSpan, addEvent, setSpanAttributes, recordError } from './spans';
export { isProbePath } from './instrumentations';
export { beginEdgeRequest, parseTraceparent } from './edge-request-trace';
export type { EdgeRequestTrace, UpstreamCallFacts, UpstreamCallTrace } from './edge-request-trace';
