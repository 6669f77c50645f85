import type { Registry } from 'prom-client';
import type { Logger } from '@surge/logger';
import type { AttemptOutcome, BreakerState, ServiceClientEvent } from './client-events';
import { breakerStateValue, clientMetrics, type ClientMetrics } from './client-metrics';
import { recordClientSpanEvent } from './client-span-events';

/**
 * Everything a ServiceClient tells the outside: metrics (when given a registry), logs of
 * breaker transitions (when given a logger), span events on the active span (always; a
 * no-op without tracing) and events (when given a listener), so the client's own code
 * says only what happened.
 */
export class ClientTelemetry {
  private readonly metrics: ClientMetrics | undefined;
  private readonly logger: Logger | undefined;
  private readonly onEvent: ((event: ServiceClientEvent) => void) | undefined;
  private readonly upstream: { upstream: string };

  constructor(
    private readonly name: string,
    options: { registry?: Registry; logger?: Logger; onEvent?: (event: ServiceClientEvent) => void },
  ) {
    this.metrics = options.registry ? clientMetrics(options.registry) : undefined;
    this.logger = options.logger;
    this.onEvent = options.onEvent;
    this.upstream = { upstream: name };
  }

  breakerCreated(): void {
    this.metrics?.breakerState.set(this.upstream, 0);
  }

  attemptStarted(attempt: number, method: string, path: string, timeoutMs: number): void {
    this.emit({ type: 'attempt', upstream: this.name, attempt, method, path, timeoutMs });
  }

  attemptEnded(attempt: number, outcome: AttemptOutcome, status?: number): void {
    this.metrics?.requests.inc({ ...this.upstream, outcome });
    if (outcome === 'timeout') this.metrics?.timeouts.inc(this.upstream);
    const event = { type: 'attempt-end' as const, upstream: this.name, attempt, outcome };
    this.emit(status === undefined ? event : { ...event, status });
  }

  retrying(attempt: number, delayMs: number): void {
    this.metrics?.retries.inc(this.upstream);
    this.emit({ type: 'retry', upstream: this.name, attempt, delayMs });
  }

  /** An idempotent call moved to another instance after its connection failed. */
  failedOver(from: string, to: string): void {
    this.logger?.debug({ ...this.upstream, from, to }, 'connection failed; calling another instance');
    this.emit({ type: 'failover', upstream: this.name, from, to });
  }

  retryBudgetExhausted(): void {
    this.metrics?.retryBudgetExhausted.inc(this.upstream);
    this.emit({ type: 'retry-budget-exhausted', upstream: this.name });
  }

  /** Warn on open (an upstream is being cut off), info on the way back. */
  breakerChanged(state: BreakerState): void {
    this.metrics?.breakerState.set(this.upstream, breakerStateValue(state));
    this.metrics?.breakerTransitions.inc({ ...this.upstream, to: state });
    if (state === 'open') this.logger?.warn(this.upstream, 'circuit breaker opened; calls are refused');
    else if (state === 'half-open')
      this.logger?.info(this.upstream, 'circuit breaker half-open; one trial call');
    else this.logger?.info(this.upstream, 'circuit breaker closed');
    this.emit({ type: 'breaker', upstream: this.name, state });
  }

  private emit(event: ServiceClientEvent): void {
    try {
      recordClientSpanEvent(event);
      this.onEvent?.(event);
    } catch {
      // A listener's bug must never fail the call it watches.
    }
  }
}
