import type { IncomingMessage, Server } from 'node:http';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { parseTraceparent, randomHex } from './edge-request-trace';
import { isProbePath } from './instrumentations';

/**
 * Sampling first for a server whose requests the HTTP and express instrumentations trace
 * (every service: express serves all their requests).
 *
 * Why: the instrumentations do their work for every request, sampled or not: the HTTP
 * server's attributes, a non-recording span, `context.with`, the binding of the
 * request's and response's emitters, and per express layer a path store, a metadata
 * walk, a span and bound callbacks. Behind the gateway nine requests in ten arrive with
 * flags 00 (one trace in ten), and in the product service's profile of a cached read
 * that work was the largest single item (OpenTelemetry 13 % of self time).
 *
 * So the server decides before the instrumentation sees the request:
 * - unsampled: the request is emitted past the HTTP instrumentation, in a context that
 *   holds only a span context with flags 00 (the caller's, or new ids for a direct
 *   caller), so the request's own pg, Redis and undici calls see an unsampled parent:
 *   they record nothing, start no trace of their own, and undici carries the parent on
 *   as `traceparent: 00-<trace id>-<id>-00`. The express layers skip their span wrappers
 *   (skipLayerSpansWhenUnsampled);
 * - sampled: the instrumentations run as before (the same spans, attributes and trace
 *   tree). A decision made here (a direct caller's dice, or the edge's) is handed to the
 *   SDK's sampler for the server span (EdgeDecisionSampler), so the dice are not rolled
 *   twice.
 */
export interface RequestSamplingPolicy {
  /** Share of requests traced when the decision is the process's own. */
  ratio: number;
  /** Whether a valid incoming `traceparent`'s sampled flag decides (`parent` sampling). */
  followRemoteDecision: boolean;
}

/** On globalThis, as edge-policy.ts: the register and the service may load two copies of this module. */
const POLICY_SLOT = Symbol.for('@surge/telemetry/request-sampling-policy');
const DECIDED_SLOT = Symbol.for('@surge/telemetry/request-decided-sampled');
type Slots = {
  [POLICY_SLOT]?: RequestSamplingPolicy | undefined;
  [DECIDED_SLOT]?: boolean | undefined;
};
const slots = globalThis as Slots;

export function setRequestSamplingPolicy(policy: RequestSamplingPolicy | undefined): void {
  slots[POLICY_SLOT] = policy;
}

/** Undefined when requests are not decided first (tracing off, or the listener makes its spans itself). */
export function requestSamplingPolicy(): RequestSamplingPolicy | undefined {
  return slots[POLICY_SLOT];
}

/**
 * Read by the SDK's sampler (EdgeDecisionSampler): true only while a request decided as
 * sampled here is being emitted to the HTTP instrumentation, which starts its server span
 * synchronously in that call. Taken once, so no later span inherits it.
 */
export function takeRequestDecidedSampled(): boolean {
  if (slots[DECIDED_SLOT] !== true) return false;
  slots[DECIDED_SLOT] = false;
  return true;
}

/** Set on a request decided unsampled; the express layers read it (skipLayerSpansWhenUnsampled). */
const UNSAMPLED = Symbol.for('@surge/telemetry/unsampled-request');
type MarkedRequest = IncomingMessage & { [UNSAMPLED]?: true };

type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Makes `server` decide each request's sampling before the HTTP instrumentation (see
 * above). A no-op per request while no policy is set (telemetry off, tests, the gateway's
 * own listener spans); probes go to the instrumentation, which ignores them.
 */
export function sampleRequestsFirst(server: Server): void {
  const instrumented = server.emit as Emit;
  // The instrumentation wraps http.Server.prototype.emit and keeps the original.
  const plain = (instrumented as Emit & { __original?: Emit }).__original ?? instrumented;
  const emit: Emit = function (event, ...args) {
    const policy = event === 'request' ? requestSamplingPolicy() : undefined;
    const req = args[0] as IncomingMessage;
    if (!policy || isProbePath(req.url)) return instrumented.call(this, event, ...args);
    const parent = parseTraceparent(req.headers.traceparent);
    const followed = parent !== undefined && policy.followRemoteDecision;
    const sampled = followed ? parent.sampled : Math.random() < policy.ratio;
    if (sampled) {
      // A parent's own sampled flag is followed by the SDK's parent-based sampler already.
      if (followed) return instrumented.call(this, event, ...args);
      slots[DECIDED_SLOT] = true;
      try {
        return instrumented.call(this, event, ...args);
      } finally {
        slots[DECIDED_SLOT] = false;
      }
    }
    (req as MarkedRequest)[UNSAMPLED] = true;
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: parent?.traceId ?? randomHex(16),
      // The caller's span when its decision is followed; otherwise a span never recorded,
      // as a non-recording server span would carry.
      spanId: followed ? parent.spanId : randomHex(8),
      traceFlags: TraceFlags.NONE,
      // Remote only when the decision is the caller's: an edge sampler rolls its own dice
      // for a remote parent, and this process has decided already.
      isRemote: followed,
    });
    return context.with(unsampled, () => plain.call(this, event, ...args));
  };
  server.emit = emit as Server['emit'];
}

interface LayerLike {
  handle?: unknown;
}
type Handler = ((req: MarkedRequest, res: unknown, next: unknown) => unknown) & {
  __original?: Handler;
  __wrapped?: boolean;
  stack?: unknown;
};

/**
 * The express instrumentation wraps the handle of every layer mounted (app.use, a route,
 * a router): per request and layer it stores the layer's path, builds its metadata and,
 * under any active span (a non-recording one too), a span with its callbacks bound. For
 * a request decided unsampled none of that can show anywhere, so each wrapped layer of
 * `router` (and of the routers mounted in it) calls the handler unwrapped for those.
 * Call once every layer is mounted; layers mounted later keep the wrapper for all.
 */
export function skipLayerSpansWhenUnsampled(router: unknown): void {
  const stack = (router as { stack?: unknown } | undefined)?.stack;
  if (!Array.isArray(stack)) return;
  for (const layer of stack as LayerLike[]) {
    const wrapped = layer.handle as Handler | undefined;
    if (typeof wrapped !== 'function') continue;
    const original = wrapped.__wrapped === true ? wrapped.__original : undefined;
    skipLayerSpansWhenUnsampled(original ?? wrapped);
    // The instrumentation leaves error handlers (four parameters) as they are, yet its
    // wrap still marks them `__wrapped` with themselves as `__original`. Replacing one with
    // the three-parameter dispatch below would make express take it for a plain handler
    // and pass every error by, to its default HTML page with the stack.
    if (!original || original === wrapped || original.length === 4) continue;
    // Three parameters, as express tells error handlers (four) from the others by length.
    const dispatch: Handler = function (this: unknown, req, res, next) {
      return (req[UNSAMPLED] === true ? original : wrapped).call(this, req, res, next);
    };
    // A router's handle carries its state (stack, params): read through, as the wrapper does.
    for (const key in original) {
      Object.defineProperty(dispatch, key, {
        get: () => (original as unknown as Record<string, unknown>)[key],
        set: (value: unknown) => ((original as unknown as Record<string, unknown>)[key] = value),
      });
    }
    layer.handle = dispatch;
  }
}
