import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { isoTimeField } from './iso-time';
import { batchedStdout, type LogBatching } from './log-destination';
import { currentContext } from './request-context';
import { redactSecrets } from './redaction';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  /** Where lines go; stdout unless a test wants to read them. */
  destination?: DestinationStream;
  /**
   * stdout in batches (a service's process: runMain passes its config's LOG_BATCH_BYTES
   * and LOG_FLUSH_INTERVAL_MS). Unset: every line written at once, as pino does.
   */
  batching?: LogBatching;
}

/** Extra fields from other packages (telemetry adds trace_id and span_id). */
type FieldSource = () => Record<string, unknown>;
const fieldSources: FieldSource[] = [];

export function addLogFieldSource(source: FieldSource): void {
  fieldSources.push(source);
}

/**
 * pino JSON with the service name on every line, the request id and user id of the
 * current request, and secrets redacted. Objects first, message second:
 * `log.info({ orderId }, 'order paid')`.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid },
    timestamp: isoTimeField,
    // Not pino's `redact`: it costs every field of every line (see redaction.ts).
    formatters: { level: (label) => ({ level: label }), log: redactSecrets },
    mixin() {
      const context = currentContext();
      const fields: Record<string, unknown> = {};
      if (context?.requestId) fields.requestId = context.requestId;
      if (context?.userId) fields.userId = context.userId;
      if (context?.caller) fields.caller = context.caller;
      // An active span's ids (a field source) win; they name the same trace.
      if (context?.traceId) fields.trace_id = context.traceId;
      for (const source of fieldSources) Object.assign(fields, source());
      return fields;
    },
  };
  if (options.destination) return pino(config, options.destination);
  // A silent logger writes nothing: no buffer, no timer.
  if (options.batching && config.level !== 'silent') return pino(config, batchedStdout(options.batching));
  return pino(config);
}
