/**
 * Tracing for a whole process, loaded before its own code:
 *
 *   node --require @surge/telemetry/register dist/main.js
 *   node --require /path/to/packages/telemetry/dist/register.js dist/main.js
 *
 * It must come first: instrumentation patches express, pg, ioredis and undici as they
 * are first required, and anything loaded earlier is not traced. Configured by the
 * standard variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_TRACES_SAMPLER_ARG, OTEL_SDK_DISABLED; see docs/observability.md).
 */
import { readTelemetryConfig } from './config';
import { flushBeforeExit } from './flush-before-exit';
import { installLogCorrelation } from './log-correlation';
import { mainPackageDefaults } from './main-package';
import { startTelemetry } from './start-telemetry';

/** Long enough for one OTLP round trip on loopback; short enough not to stall a stop. */
const FLUSH_TIMEOUT_MS = 2_000;

const { config, warnings } = readTelemetryConfig(process.env, mainPackageDefaults(process.argv[1]));
// No logger exists yet: one JSON line on stderr, the shape of the service's own lines.
for (const warning of warnings) {
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', time: new Date().toISOString(), service: config.serviceName, component: 'telemetry', msg: warning })}\n`,
  );
}

if (config.enabled) {
  const telemetry = startTelemetry(config);
  installLogCorrelation();
  flushBeforeExit(() => telemetry.shutdown(), FLUSH_TIMEOUT_MS);
}
