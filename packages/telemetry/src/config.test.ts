import { readTelemetryConfig } from './config';

const defaults = { serviceName: 'order', serviceVersion: '0.1.0' };
const read = (env: NodeJS.ProcessEnv) => readTelemetryConfig(env, defaults);

describe('telemetry config', () => {
  it('exports every trace to the local collector by default, as the package that started', () => {
    const { config, warnings } = read({ NODE_ENV: 'development' });

    expect(config).toMatchObject({
      enabled: true,
      serviceName: 'order',
      serviceVersion: '0.1.0',
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      sampleRatio: 1,
    });
    expect(config.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(warnings).toEqual([]);
  });

  it('takes the standard OTEL_* variables', () => {
    const { config } = read({
      OTEL_SERVICE_NAME: 'order-eu',
      OTEL_SERVICE_VERSION: '2.0.0',
      OTEL_SERVICE_INSTANCE_ID: 'order-7f9c',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });

    expect(config).toMatchObject({
      serviceName: 'order-eu',
      serviceVersion: '2.0.0',
      instanceId: 'order-7f9c',
      tracesUrl: 'http://jaeger:4318/v1/traces',
      sampleRatio: 0.25,
    });
  });

  it('uses the per-signal endpoint as the full URL', () => {
    const { config } = read({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom',
    });

    expect(config.tracesUrl).toBe('http://b:4318/custom');
  });

  it('samples one new trace in ten in production unless told otherwise', () => {
    expect(read({ NODE_ENV: 'production' }).config.sampleRatio).toBe(0.1);
    expect(read({ NODE_ENV: 'production', OTEL_TRACES_SAMPLER_ARG: '1' }).config.sampleRatio).toBe(1);
  });

  it('is off when OTEL_SDK_DISABLED=true, and in tests unless OTEL_SDK_DISABLED=false', () => {
    expect(read({ OTEL_SDK_DISABLED: 'true' }).config.enabled).toBe(false);
    expect(read({ NODE_ENV: 'test' }).config.enabled).toBe(false);
    expect(read({ NODE_ENV: 'test', OTEL_SDK_DISABLED: 'false' }).config.enabled).toBe(true);
  });

  it('turns bad values into warnings and defaults, never into a failed start', () => {
    const { config, warnings } = read({
      OTEL_TRACES_SAMPLER_ARG: '1.5',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318',
    });

    expect(config).toMatchObject({ sampleRatio: 1, tracesUrl: 'http://127.0.0.1:4318/v1/traces' });
    expect(warnings).toEqual([
      expect.stringContaining('jaeger:4318/v1/traces'),
      expect.stringContaining('OTEL_TRACES_SAMPLER_ARG=1.5'),
    ]);
  });
});
