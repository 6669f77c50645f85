import type { IncomingMessage } from 'node:http';
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { DECIDED_SAMPLED, edgePolicy } from './edge-policy';
import { isProbePath } from './instrumentations';

/**
 * The trace of one request at the edge (the gateway's public listener), made by the
 * listener itself instead of @opentelemetry/instrumentation-http.
 *
 * Why: the instrumentation does its work for every request, sampled or not: attribute
 * collection, a span object, `context.with` and the binding of the request's and the
 * response's emitters (every listener added later is wrapped), a 'close' listener; and
 * the undici instrumentation a span and its context per upstream call. In the gateway's
 * profile with one trace in ten that was about half its CPU per proxied read. Here the
 * decision comes first: an unsampled request gets no span, no context and no listener,
 * only the `traceparent` that carries the unsampled decision to the services (flags 00,
 * so they do not start traces of their own); a sampled one gets the SERVER span the
 * instrumentation made (same semantic-convention attributes) and a CLIENT span per
 * upstream call, whose context the caller injects.
 */
export interface EdgeRequestTrace {
  readonly sampled: boolean;
  /** The request's trace id, sampled or not: log lines carry it (request-locals.ts in the gateway). */
  readonly traceId: string;
  /** Runs the request's handling in its context (the server span active while sampled). */
  run<T>(fn: () => T): T;
  /**
   * One call to an upstream: its `traceparent` header, and (sampled) a CLIENT span that
   * `end` closes. Each attempt of a retried call is a call of its own.
   */
  startUpstreamCall(call: UpstreamCallFacts): UpstreamCallTrace;
  /** The answer is out (or the client gone): closes the server span while sampled. */
  finish(statusCode: number, route: string | undefined): void;
}

export interface UpstreamCallFacts {
  method: string;
  /** `http://host:port` of the instance called. */
  origin: string;
  /** Path and query. */
  path: string;
}

export interface UpstreamCallTrace {
  readonly traceparent: string;
  /** The upstream's status code once its answer began, or the error it failed with before. */
  end(statusCode: number | undefined, error?: Error): void;
}

/**
 * The request's trace, or undefined when this process's listener does not trace
 * (telemetry off, or left to the HTTP instrumentation) or the request is a probe.
 */
export function beginEdgeRequest(req: IncomingMessage): EdgeRequestTrace | undefined {
  const policy = edgePolicy();
  if (!policy || isProbePath(req.url)) return undefined;
  const parent = parseTraceparent(req.headers.traceparent);
  const sampled =
    parent !== undefined && policy.followRemoteDecision ? parent.sampled : Math.random() < policy.ratio;
  if (!sampled) return new UnsampledRequest(parent?.traceId ?? randomHex(16));
  return startServerSpan(req, parent);
}

/** Neither span nor context: one header's worth of state. */
class UnsampledRequest implements EdgeRequestTrace, UpstreamCallTrace {
  readonly sampled = false;
  readonly traceparent: string;

  constructor(readonly traceId: string) {
    // A parent id of a span never recorded, as a non-recording span would carry.
    this.traceparent = `00-${traceId}-${randomHex(8)}-00`;
  }

  run<T>(fn: () => T): T {
    return fn();
  }

  startUpstreamCall(): UpstreamCallTrace {
    return this;
  }

  end(): void {}

  finish(): void {}
}

const tracer = () => trace.getTracer('@surge/telemetry/edge');

function startServerSpan(req: IncomingMessage, parent: RemoteParent | undefined): EdgeRequestTrace {
  const parentContext = parent
    ? trace.setSpanContext(ROOT_CONTEXT, {
        traceId: parent.traceId,
        spanId: parent.spanId,
        traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
        isRemote: true,
      })
    : ROOT_CONTEXT;
  const method = req.method ?? 'GET';
  const span = tracer().startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: serverAttributes(req, method) },
    parentContext.setValue(DECIDED_SAMPLED, true),
  );
  return new SampledRequest(span, trace.setSpan(parentContext, span), method);
}

class SampledRequest implements EdgeRequestTrace {
  readonly sampled = true;
  readonly traceId: string;
  private finished = false;

  constructor(
    private readonly span: Span,
    private readonly spanContext: Context,
    private readonly method: string,
  ) {
    this.traceId = span.spanContext().traceId;
  }

  run<T>(fn: () => T): T {
    return context.with(this.spanContext, fn);
  }

  startUpstreamCall(call: UpstreamCallFacts): UpstreamCallTrace {
    const url = new URL(call.path, call.origin);
    const span = tracer().startSpan(
      call.method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': call.method,
          'url.full': url.href,
          'server.address': url.hostname,
          'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        },
      },
      this.spanContext,
    );
    const { traceId, spanId } = span.spanContext();
    return {
      traceparent: `00-${traceId}-${spanId}-01`,
      end: (statusCode, error) => {
        if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
        if (error) {
          span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
          span.setAttribute('error.type', error.name);
        } else if (statusCode !== undefined && statusCode >= 400) {
          // A client span's 4xx is an error too (the semantic conventions' rule for clients).
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('error.type', String(statusCode));
        }
        span.end();
      },
    };
  }

  finish(statusCode: number, route: string | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.span.setAttribute('http.response.status_code', statusCode);
    if (route) {
      this.span.setAttribute('http.route', route);
      this.span.updateName(`${this.method} ${route}`);
    }
    // Only 5xx: a 4xx is the client's mistake, not the server's failure.
    if (statusCode >= 500) {
      this.span.setStatus({ code: SpanStatusCode.ERROR });
      this.span.setAttribute('error.type', String(statusCode));
    }
    this.span.end();
  }
}

/** What the HTTP instrumentation recorded on a server span, in the stable semantic conventions. */
function serverAttributes(req: IncomingMessage, method: string): Attributes {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const host = hostAndPort(req.headers.host);
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': 'http',
    'url.path': query === -1 ? url : url.slice(0, query),
    'network.peer.address': req.socket.remoteAddress,
    'network.peer.port': req.socket.remotePort,
    'network.protocol.version': req.httpVersion,
    'client.address': req.socket.remoteAddress,
  };
  // The query is left out: it may carry what must not be stored (the instrumentation
  // redacted a few known names; a proxy cannot know its upstreams' secrets).
  if (host) {
    attributes['server.address'] = host.address;
    if (host.port !== undefined) attributes['server.port'] = host.port;
  }
  const userAgent = req.headers['user-agent'];
  if (userAgent) attributes['user_agent.original'] = userAgent;
  return attributes;
}

function hostAndPort(host: string | undefined): { address: string; port: number | undefined } | undefined {
  if (!host) return undefined;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
  if (!match?.[1]) return undefined;
  return { address: match[1], port: match[2] === undefined ? undefined : Number(match[2]) };
}

interface RemoteParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-.*)?$/;
const ZERO_TRACE = '00000000000000000000000000000000';
const ZERO_SPAN = '0000000000000000';

/** A W3C Trace Context `traceparent`, or undefined for anything invalid (as the propagator does). */
export function parseTraceparent(header: string | string[] | undefined): RemoteParent | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (!version || !traceId || !spanId || !flags) return undefined;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
}

const ID_BYTES = Buffer.allocUnsafe(16);

/** Random ids as the SDK's RandomIdGenerator makes them (Math.random, not a CSPRNG: ids are not secrets). */
export function randomHex(bytes: 8 | 16): string {
  for (let i = 0; i < bytes; i += 4) ID_BYTES.writeUInt32BE((Math.random() * 2 ** 32) >>> 0, i);
  // All zeros is the invalid id; vanishingly rare, still never sent.
  if (ID_BYTES.readUInt32BE(0) === 0) ID_BYTES.writeUInt32BE(1, 0);
  return ID_BYTES.toString('hex', 0, bytes);
}
