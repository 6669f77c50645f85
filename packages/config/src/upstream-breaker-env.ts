import { z } from 'zod';

/**
 * The circuit breaker settings of a service's clients of other services
 * (docs/resilience.md, seed 001: 50 % failures over 10 s, at least 10 calls, open 30 s).
 * Every service that calls another spreads these into its schema, so the variables mean
 * the same everywhere.
 */
export const upstreamBreakerEnv = {
  UPSTREAM_BREAKER_ERROR_PERCENT: z.coerce.number().min(1).max(100).default(50),
  UPSTREAM_BREAKER_WINDOW_MS: z.coerce.number().int().min(100).default(10_000),
  UPSTREAM_BREAKER_MIN_CALLS: z.coerce.number().int().min(1).default(10),
  UPSTREAM_BREAKER_RESET_MS: z.coerce.number().int().min(100).default(30_000),
};

export interface UpstreamBreakerConfig {
  UPSTREAM_BREAKER_ERROR_PERCENT: number;
  UPSTREAM_BREAKER_WINDOW_MS: number;
  UPSTREAM_BREAKER_MIN_CALLS: number;
  UPSTREAM_BREAKER_RESET_MS: number;
}

/** The parsed variables as `@surge/http-client`'s BreakerOptions (same shape, no dependency). */
export function upstreamBreakerOptions(config: UpstreamBreakerConfig): {
  errorThresholdPercentage: number;
  rollingWindowMs: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
} {
  return {
    errorThresholdPercentage: config.UPSTREAM_BREAKER_ERROR_PERCENT,
    rollingWindowMs: config.UPSTREAM_BREAKER_WINDOW_MS,
    volumeThreshold: config.UPSTREAM_BREAKER_MIN_CALLS,
    resetTimeoutMs: config.UPSTREAM_BREAKER_RESET_MS,
  };
}
