import type { z } from 'zod';
import { DependencyError } from '@surge/errors';
import { problemSchema, type Problem } from './api-schemas';

/**
 * The storefront's only way out: the public API through the gateway, as any other client
 * calls it. The telemetry package instruments fetch (undici), so every call carries the
 * page's trace context and joins its trace.
 */
export interface ApiClientOptions {
  baseUrl: string;
  timeoutMs: number;
}

export interface ApiCall {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  /** The shopper's request id, so the API's logs pair with the page's. */
  requestId?: string | undefined;
}

/** The API answered with a problem: the page decides what it means for the shopper. */
export class ApiProblem extends Error {
  readonly code = 'API_PROBLEM';
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`${status} ${problem.code}`);
  }
}

/** The API could not be reached or did not answer in time: a "services down" page. */
export class ApiUnreachable extends DependencyError {
  constructor(cause: unknown) {
    super('gateway', 'the shop API did not answer', { cause });
  }
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  /** `x-cache: stale`: the catalog came from its cache while the database was away. */
  stale: boolean;
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  /** Calls the API and parses a 2xx answer with `schema`; anything else throws ApiProblem or ApiUnreachable. */
  async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    call: ApiCall = {},
  ): Promise<ApiAnswer<z.infer<S>>> {
    const res = await this.send(method, path, call);
    const text = await res.text().catch((error: unknown) => {
      throw new ApiUnreachable(error);
    });
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (res.status >= 400) throw toProblem(res, body);
    return {
      status: res.status,
      body: schema.parse(body) as z.infer<S>,
      stale: res.headers.get('x-cache') === 'stale',
    };
  }

  /** For answers without a body worth reading (204, 200 of a cancel we re-read after). */
  async send(method: string, path: string, call: ApiCall = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.requestId) headers['x-request-id'] = call.requestId;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      throw new ApiUnreachable(error);
    }
  }
}

function toProblem(res: Response, body: unknown): ApiProblem {
  const parsed = problemSchema.safeParse(body);
  // Not a problem document (a proxy's own error page, say): one made from the status.
  const problem: Problem = parsed.success
    ? parsed.data
    : {
        type: 'about:blank',
        title: res.statusText || 'Error',
        status: res.status,
        detail: '',
        code: `HTTP_${res.status}`,
        requestId: res.headers.get('x-request-id') ?? '',
      };
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ApiProblem(
    res.status,
    problem,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}
