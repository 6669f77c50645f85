import { Pool, errors as undiciErrors } from 'undici';
import { DependencyError } from '@surge/errors';
import { currentContext } from '@surge/logger';

export interface ServiceClientOptions {
  /** Name of the upstream, used in errors, logs and (later) breaker metrics. */
  name: string;
  baseUrl: string;
  /** Default per-call budget; a call may pass its own. */
  timeoutMs?: number;
  connections?: number;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface CallResult<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/**
 * Typed JSON calls to one upstream over a keep-alive pool. Every call has a timeout;
 * a refused connection or a timeout becomes a DependencyError that keeps the cause,
 * so the caller can decide (and the HTTP edge answers 503/504, never 500).
 *
 * Breakers, retries and deadline propagation wrap `call` in the resilience work.
 */
export class ServiceClient {
  private readonly pool: Pool;
  private readonly timeoutMs: number;

  constructor(private readonly options: ServiceClientOptions) {
    this.pool = new Pool(options.baseUrl, {
      connections: options.connections ?? 32,
      keepAliveTimeout: 10_000,
      pipelining: 1,
    });
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  get name(): string {
    return this.options.name;
  }

  async call<T = unknown>(options: CallOptions): Promise<CallResult<T>> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const requestId = currentContext()?.requestId;
    if (requestId) headers['x-request-id'] = requestId;
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    try {
      const response = await this.pool.request({
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        body: payload ?? null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.body.text();
      const body = (text ? safeJson(text) : undefined) as T;
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      throw this.toDependencyError(error, timeoutMs);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private toDependencyError(error: unknown, timeoutMs: number): DependencyError {
    const timedOut =
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      // By name, not instanceof: AbortSignal.timeout throws a DOMException, which is not an
      // `Error` of every realm (jest's sandbox, for one).
      ['TimeoutError', 'AbortError'].includes((error as { name?: unknown } | null)?.name as string);
    const message = timedOut
      ? `${this.options.name} did not answer within ${timeoutMs} ms`
      : `${this.options.name} is unavailable`;
    return new DependencyError(this.options.name, message, { cause: error, timeout: timedOut });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
