import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line of a request carries without being passed around by hand.
 * Set by the HTTP edge (and by Kafka consumers per message).
 */
export interface RequestContext {
  requestId?: string;
  userId?: string;
  /** The calling service, on internal routes (its verified service token's subject). */
  caller?: string;
  /**
   * The trace id of a request traced without an active span: the gateway's listener
   * samples before it makes a span, so an unsampled request has an id but no span for
   * the telemetry's field source to read (packages/telemetry, edge-request-trace.ts).
   */
  traceId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Adds fields (e.g. the user id once the token is verified) to the current context. */
export function enrichContext(fields: Partial<RequestContext>): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}
