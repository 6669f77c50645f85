import { startInMemorySdk, type InMemorySdk } from '@surge/telemetry/testing';

export type GatewayTracing = InMemorySdk;

/**
 * The real tracing SDK in the test process, configured as the gateway's register
 * configures it (edge sampling at `sampleRatio`, server spans made by the listener),
 * with spans kept in memory. jest gives each test file its own globals, so one ratio
 * per file.
 */
export function startGatewayTracing(sampleRatio: number): GatewayTracing {
  return startInMemorySdk({ serviceName: 'gateway', sampleRatio, sampling: 'edge', listenerSpans: true });
}

/** `traceparent` as W3C Trace Context writes it: version, trace id, parent id, flags. */
export const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;
