import { randomUUID } from 'node:crypto';

/** What the tracing SDK needs, read once from the standard OTEL_* variables. */
export interface TelemetryConfig {
  enabled: boolean;
  serviceName: string;
  serviceVersion: string;
  /** Tells replicas of one service apart in Jaeger. */
  instanceId: string;
  /** The OTLP/HTTP traces URL (`<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`). */
  tracesUrl: string;
  /** Share of new traces that are recorded (0..1). */
  sampleRatio: number;
  /**
   * `parent`: a caller's sampling decision is kept (services, called by the gateway and
   * each other). `edge`: a remote caller's decision is ignored (the gateway, called by
   * clients; see edge-sampler.ts). SURGE_TRACE_SAMPLING; `edge` by default for the
   * gateway, `parent` for everything else.
   */
  sampling: 'parent' | 'edge';
  /**
   * Whether the process's public listener makes its server spans itself
   * (edge-request-trace.ts) instead of the HTTP instrumentation, and its upstream calls'
   * client spans instead of the undici instrumentation: the gateway's, unless development
   * fault injection is on (then express serves every request, proxied ones included,
   * and the instrumentations trace it as before). Absent: false.
   */
  listenerSpans?: boolean;
}

/** Where the process comes from, when OTEL_SERVICE_NAME / OTEL_SERVICE_VERSION are not set. */
export interface ConfigDefaults {
  serviceName: string;
  serviceVersion: string;
}

/**
 * 127.0.0.1, not the SDK's `localhost`: Node 20 may resolve localhost to ::1 first, and
 * Surge's Jaeger listens on IPv4 loopback only.
 */
export const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

/**
 * Reads the configuration. Telemetry must never stop a service from starting, so a bad
 * value becomes a warning and its default, not an error.
 *
 * Disabled when OTEL_SDK_DISABLED=true, and under NODE_ENV=test unless
 * OTEL_SDK_DISABLED=false: test processes export nothing unless a test asks for it.
 */
export function readTelemetryConfig(
  env: NodeJS.ProcessEnv,
  defaults: ConfigDefaults,
): { config: TelemetryConfig; warnings: string[] } {
  const warnings: string[] = [];
  const disabledFlag = env.OTEL_SDK_DISABLED?.trim().toLowerCase();
  const enabled = disabledFlag === 'true' ? false : env.NODE_ENV !== 'test' || disabledFlag === 'false';
  const config: TelemetryConfig = {
    enabled,
    serviceName: nonEmpty(env.OTEL_SERVICE_NAME) ?? defaults.serviceName,
    serviceVersion: nonEmpty(env.OTEL_SERVICE_VERSION) ?? defaults.serviceVersion,
    instanceId: nonEmpty(env.OTEL_SERVICE_INSTANCE_ID) ?? randomUUID(),
    tracesUrl: tracesUrl(env, warnings),
    sampleRatio: sampleRatio(env, warnings),
    sampling: 'parent',
  };
  config.sampling = sampling(env, config.serviceName, warnings);
  // FAULT_INJECTION as @surge/config reads it ('true' or '1').
  const faults = env.FAULT_INJECTION?.trim();
  config.listenerSpans = config.serviceName === 'gateway' && faults !== 'true' && faults !== '1';
  return { config, warnings };
}

function tracesUrl(env: NodeJS.ProcessEnv, warnings: string[]): string {
  const signal = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  // Per the OTLP spec the per-signal variable is the full URL; the general one gets the path appended.
  const candidate = signal ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (candidate && isHttpUrl(candidate)) return candidate;
  if (candidate) warnings.push(`ignoring the OTLP endpoint ${candidate}: not an http(s) URL`);
  return `${DEFAULT_OTLP_ENDPOINT}/v1/traces`;
}

/** Every trace in development; one in ten in production, where Black Friday load makes 100% costly. */
function sampleRatio(env: NodeJS.ProcessEnv, warnings: string[]): number {
  const fallback = env.NODE_ENV === 'production' ? 0.1 : 1;
  const raw = nonEmpty(env.OTEL_TRACES_SAMPLER_ARG);
  if (raw === undefined) return fallback;
  const ratio = Number(raw);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
  warnings.push(`ignoring OTEL_TRACES_SAMPLER_ARG=${raw}: not a number from 0 to 1; sampling ${fallback}`);
  return fallback;
}

/** The gateway faces clients: it never lets one decide what is traced. */
function sampling(env: NodeJS.ProcessEnv, serviceName: string, warnings: string[]): 'parent' | 'edge' {
  const fallback = serviceName === 'gateway' ? 'edge' : 'parent';
  const raw = nonEmpty(env.SURGE_TRACE_SAMPLING);
  if (raw === undefined) return fallback;
  if (raw === 'edge' || raw === 'parent') return raw;
  warnings.push(`ignoring SURGE_TRACE_SAMPLING=${raw}: not "edge" or "parent"; using ${fallback}`);
  return fallback;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
