import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { DependencyError } from '@surge/errors';
import type { Dispatcher } from 'undici';
import { currentContext, type Logger } from '@surge/logger';
import { FailedAnswer, isTimeout } from './attempt-errors';
import { backoffDelayMs, retryPolicyOf, type RetryOptions, type RetryPolicy } from './backoff';
import { UpstreamBreaker, isRefusal, type BreakerOptions } from './breaker';
import { isFailureStatus, isIdempotentCall } from './call-policy';
import type { CallOptions, CallResult } from './call-types';
import type { BreakerState, ServiceClientEvent } from './client-events';
import { ClientTelemetry } from './client-telemetry';
import { DEADLINE_HEADER, remainingBudgetMs } from './deadline';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget';
import { ServiceInstances, type ClientInstance } from './service-instances';
import type { ResolveHost } from './upstreams/address-source';
import { isConnectionFailure } from './upstreams/connection-failures';
import type { EjectionPolicy } from './upstreams/ejection-policy';

export type { CallOptions, CallResult, ServiceCaller } from './call-types';

export interface ServiceClientOptions {
  /** Name of the upstream, used in errors, logs and the `upstream` metric label. */
  name: string;
  /**
   * Where the upstream's instances are: a URL, a comma list of URLs, DNS names standing
   * for several instances, or `file://` addresses files (docs/gateway.md, "Instances").
   */
  baseUrl: string;
  /** Default budget of one call, retries included; a call may pass its own. */
  timeoutMs?: number;
  connections?: number;
  /** A circuit breaker for this upstream: true for DEFAULT_BREAKER, or its options. Off when absent. */
  breaker?: BreakerOptions | boolean;
  /** Retries of idempotent calls: true for DEFAULT_RETRY, or its options. Off when absent. */
  retry?: RetryOptions | boolean;
  /** Caps retries at a share of the traffic (DEFAULT_RETRY_BUDGET); used only with `retry`. */
  retryBudget?: RetryBudgetOptions;
  /** Where the client's metrics go: the service's registry (the HTTP kit's). */
  registry?: Registry;
  /** Breaker transitions are logged here (warn on open, info otherwise). */
  logger?: Logger;
  /** Every attempt, retry and transition, for tracing to turn into span events. */
  onEvent?: (event: ServiceClientEvent) => void;
  /** How often DNS names and addresses files are read again (DEFAULT_REFRESH_INTERVAL_MS). */
  refreshIntervalMs?: number;
  /** Passive ejection of an instance that keeps refusing connections (DEFAULT_CLIENT_EJECTION). */
  ejection?: EjectionPolicy;
  /** The OS resolver unless a test fakes DNS. */
  resolveHost?: ResolveHost;
}

/** Less time than this left before the deadline: a retry could not get an answer, only add load. */
const MIN_ATTEMPT_MS = 10;

type Attempt<T> = { retriable: boolean } & ({ answer: CallResult<T> } | { error: DependencyError });

/**
 * Typed JSON calls to one upstream over a keep-alive pool, with the resilience every
 * call between services needs (docs/resilience.md):
 *
 * - a budget per call: its own timeout, cut to what is left of the current request's
 *   deadline, and sent downstream in `x-deadline-ms` so the callee stops when we do;
 * - a circuit breaker (opt-in) that refuses calls at once while the upstream is failing;
 * - retries (opt-in) of idempotent calls, with full-jitter backoff, inside the budget
 *   and a retry budget;
 * - several instances: calls spread by power of two choices, and an idempotent call
 *   whose connection failed (nothing reached the instance) goes at once to another
 *   instance, within the same attempt: a crashed replica among healthy ones costs a
 *   caller nothing, and the breaker only hears of it when no instance answers.
 *
 * A 4xx or 5xx answer is returned as it is (the caller knows what a 409 means); a
 * refused connection, a timeout or an open breaker becomes a DependencyError that keeps
 * the cause, so the HTTP edge answers 503/504, never 500.
 */
export class ServiceClient {
  private readonly instances: ServiceInstances;
  private readonly timeoutMs: number;
  private readonly telemetry: ClientTelemetry;
  private readonly breaker: UpstreamBreaker | undefined;
  private readonly retryPolicy: RetryPolicy | undefined;
  private readonly retryBudget: RetryBudget | undefined;

  constructor(private readonly options: ServiceClientOptions) {
    this.instances = new ServiceInstances({
      name: options.name,
      baseUrl: options.baseUrl,
      connections: options.connections ?? 32,
      ...(options.refreshIntervalMs ? { refreshIntervalMs: options.refreshIntervalMs } : {}),
      ...(options.ejection ? { ejection: options.ejection } : {}),
      ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.telemetry = new ClientTelemetry(options.name, options);
    if (options.breaker) {
      const breakerOptions = options.breaker === true ? {} : options.breaker;
      this.breaker = new UpstreamBreaker(breakerOptions, (state) => this.telemetry.breakerChanged(state));
      this.telemetry.breakerCreated();
    }
    this.retryPolicy = retryPolicyOf(options.retry);
    if (this.retryPolicy) this.retryBudget = new RetryBudget(options.retryBudget);
  }

  get name(): string {
    return this.options.name;
  }

  /** The breaker's state, or undefined when this client has none. */
  get breakerState(): BreakerState | undefined {
    return this.breaker?.state;
  }

  async call<T = unknown>(options: CallOptions): Promise<CallResult<T>> {
    const own = options.timeoutMs ?? this.timeoutMs;
    const inherited = remainingBudgetMs();
    const expiresAt = performance.now() + Math.min(own, inherited ?? own);
    const maxAttempts = this.retryPolicy && isIdempotentCall(options) ? this.retryPolicy.maxAttempts : 1;
    this.retryBudget?.recordCall();
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.attempt<T>(options, attempt, expiresAt);
      const delayMs = result.retriable ? this.retryDelay(attempt, maxAttempts, expiresAt) : undefined;
      if (delayMs === undefined) {
        if ('error' in result) throw result.error;
        return result.answer;
      }
      this.telemetry.retrying(attempt + 1, delayMs);
      await sleep(delayMs);
    }
  }

  async close(): Promise<void> {
    this.breaker?.shutdown();
    await this.instances.close();
  }

  private async attempt<T>(call: CallOptions, attempt: number, expiresAt: number): Promise<Attempt<T>> {
    const timeoutMs = Math.floor(expiresAt - performance.now());
    if (timeoutMs <= 0) {
      this.telemetry.attemptEnded(attempt, 'deadline_exceeded');
      const message = `${this.name} was not called: the request's deadline had passed`;
      return { retriable: false, error: new DependencyError(this.name, message, { timeout: true }) };
    }
    const method = call.method ?? 'GET';
    this.telemetry.attemptStarted(attempt, method, call.path, timeoutMs);
    try {
      const answer = await this.guarded(() => this.send<T>(call, timeoutMs));
      this.telemetry.attemptEnded(attempt, answer.status < 400 ? 'success' : 'client_error', answer.status);
      return { retriable: false, answer };
    } catch (error) {
      if (error instanceof FailedAnswer) {
        this.telemetry.attemptEnded(attempt, 'server_error', error.answer.status);
        return { retriable: true, answer: error.answer as CallResult<T> };
      }
      if (isRefusal(error)) {
        this.telemetry.attemptEnded(attempt, 'circuit_open');
        return { retriable: false, error: this.refusalError(error) };
      }
      const timedOut = isTimeout(error);
      this.telemetry.attemptEnded(attempt, timedOut ? 'timeout' : 'network_error');
      const message = timedOut
        ? `${this.name} did not answer within ${timeoutMs} ms`
        : `${this.name} is unavailable`;
      return {
        retriable: true,
        error: new DependencyError(this.name, message, { cause: error, timeout: timedOut }),
      };
    }
  }

  /** Through the breaker when there is one. */
  private guarded<T>(task: () => Promise<T>): Promise<T> {
    return this.breaker ? this.breaker.run(task) : task();
  }

  /**
   * One attempt: to an instance, and to a second one when the connection to the first
   * failed and the call is idempotent. Both share the attempt's timeout.
   */
  private async send<T>(call: CallOptions, timeoutMs: number): Promise<CallResult<T>> {
    const expiresAt = performance.now() + timeoutMs;
    const first = await this.instances.pick();
    if (!first) throw new Error(`no instance of ${this.name} is known`);
    try {
      return await this.sendTo<T>(first, call, timeoutMs);
    } catch (error) {
      if (!isConnectionFailure(error) || !isIdempotentCall(call)) throw error;
      const second = await this.instances.pick(first);
      const left = Math.floor(expiresAt - performance.now());
      if (!second || left < MIN_ATTEMPT_MS) throw error;
      this.telemetry.failedOver(first.origin, second.origin);
      return this.sendTo<T>(second, call, left);
    }
  }

  private async sendTo<T>(
    instance: ClientInstance,
    call: CallOptions,
    timeoutMs: number,
  ): Promise<CallResult<T>> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...call.headers,
      [DEADLINE_HEADER]: String(timeoutMs),
    };
    const requestId = currentContext()?.requestId;
    if (requestId) headers['x-request-id'] = requestId;
    let payload: string | undefined;
    if (call.body !== undefined) {
      payload = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    instance.inflight += 1;
    let text: string;
    let response: Dispatcher.ResponseData;
    try {
      response = await instance.pool.request({
        method: call.method ?? 'GET',
        path: call.path,
        headers,
        body: payload ?? null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.body.text();
      this.instances.recordSuccess(instance);
    } catch (error) {
      if (isConnectionFailure(error) || isTimeout(error)) this.instances.recordFailure(instance);
      throw error;
    } finally {
      instance.inflight -= 1;
    }
    const body = (text ? safeJson(text) : undefined) as T;
    const answer: CallResult<T> = { status: response.statusCode, headers: response.headers, body };
    if (isFailureStatus(answer.status)) throw new FailedAnswer(answer);
    return answer;
  }

  /** How long to wait before the next attempt, or undefined when there must be none. */
  private retryDelay(attempt: number, maxAttempts: number, expiresAt: number): number | undefined {
    if (!this.retryPolicy || !this.retryBudget || attempt >= maxAttempts) return undefined;
    const delayMs = backoffDelayMs(attempt, this.retryPolicy);
    if (expiresAt - performance.now() - delayMs < MIN_ATTEMPT_MS) return undefined;
    if (!this.retryBudget.tryRetry()) {
      this.telemetry.retryBudgetExhausted();
      return undefined;
    }
    return delayMs;
  }

  private refusalError(error: unknown): DependencyError {
    if ((error as { code?: unknown }).code === 'ESHUTDOWN')
      return new DependencyError(this.name, `the client of ${this.name} is closed`, { cause: error });
    const retryAfterSeconds = Math.max(1, Math.ceil((this.breaker?.retryAfterMs() ?? 0) / 1000));
    return new DependencyError(this.name, `${this.name} is unavailable: circuit open, calls are refused`, {
      cause: error,
      retryAfterSeconds,
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
