export interface CallOptions {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** This call's budget, retries included; the request's deadline can only shorten it. */
  timeoutMs?: number;
  /**
   * Safe to send twice? Defaults to the method's semantics (GET, HEAD, PUT, DELETE) or the
   * presence of an `Idempotency-Key` header. Set true for a POST the upstream dedupes
   * (keyed by an order id, say), false to forbid retries.
   */
  idempotent?: boolean;
}

export interface CallResult<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/**
 * What a typed client of another service needs: one `call`. A ServiceClient is one; so
 * is a ServiceClient wrapped to add the caller's service token (@surge/auth's
 * withServiceToken).
 */
export interface ServiceCaller {
  call<T = unknown>(options: CallOptions): Promise<CallResult<T>>;
}
