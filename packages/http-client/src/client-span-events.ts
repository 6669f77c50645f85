import { trace, type Attributes } from '@opentelemetry/api';
import type { ServiceClientEvent } from './client-events';

/**
 * Turns what a ServiceClient reports into span events on the span active when the call
 * was made: the caller's step (`checkout.charge`, say), which spans every attempt of the
 * call. The HTTP client span of each attempt (undici instrumentation) is one level below
 * and cannot carry what happens between attempts (a retry's wait, a refusal that never
 * reached the network), so the events go on the step. Successful attempts add nothing:
 * their client span already says it all. No-ops without the telemetry register.
 *
 * Names are `upstream.*`; attributes use OpenTelemetry's `http.*` names where one exists
 * (`http.response.status_code`, `http.request.resend_count`) and `surge.*` otherwise.
 *
 * The API alone (as in packages/messaging), not @surge/telemetry: a client must not load
 * the SDK, and without the register the API is a no-op.
 */
export function recordClientSpanEvent(event: ServiceClientEvent): void {
  const upstream = { 'surge.upstream': event.upstream };
  switch (event.type) {
    case 'attempt':
      return;
    case 'attempt-end': {
      if (event.outcome === 'success' || event.outcome === 'client_error') return;
      const name =
        event.outcome === 'timeout'
          ? 'upstream.timeout'
          : event.outcome === 'circuit_open'
            ? 'upstream.circuit_open'
            : 'upstream.attempt_failed';
      addEvent(name, {
        ...upstream,
        'surge.attempt': event.attempt,
        'surge.upstream.outcome': event.outcome,
        ...(event.status === undefined ? {} : { 'http.response.status_code': event.status }),
      });
      return;
    }
    case 'retry':
      addEvent('upstream.retry', {
        ...upstream,
        'http.request.resend_count': event.attempt - 1,
        'surge.retry.delay_ms': Math.round(event.delayMs),
      });
      return;
    case 'retry-budget-exhausted':
      addEvent('upstream.retry_budget_exhausted', upstream);
      return;
    case 'breaker':
      addEvent('upstream.breaker_transition', { ...upstream, 'surge.breaker.state': event.state });
      return;
  }
}

function addEvent(name: string, attributes: Attributes): void {
  trace.getActiveSpan()?.addEvent(name, attributes);
}
