import { stopOnSignals } from '@surge/http-kit';
import { createLogger } from '@surge/logger';
import { readTelemetryConfig } from '@surge/telemetry';
import { loadConfig } from './config';
import { SERVICE_NAME, startStorefront } from './service';

/** Entry point: the only place that reads process.env. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
  // The same OTEL_* settings the telemetry register traces this process with.
  const telemetry = readTelemetryConfig(process.env, {
    serviceName: SERVICE_NAME,
    serviceVersion: '0.1.0',
  }).config;
  const running = await startStorefront(config, logger, {
    tracesUrl: telemetry.enabled ? telemetry.tracesUrl : undefined,
  });
  logger.info({ url: running.url }, 'storefront listening');
  stopOnSignals(running, logger);
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad config): write one JSON line to stderr ourselves.
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', service: SERVICE_NAME, msg: 'failed to start', err: String(error instanceof Error ? error.message : error) })}\n`,
  );
  process.exit(1);
});
