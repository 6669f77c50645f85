import { trace } from '@opentelemetry/api';
/**
 * Header rules of the proxy, both ways. Pure, so every rule has a unit test.
 */
export type HeaderValue = string | string[] | undefined;
export type HeaderMap = Record<string, HeaderValue>;
export type CleanHeaders = Record<string, string | string[]>;

/** RFC 9110 §7.6.1: meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Set by the gateway, never by a client: a caller must not be able to claim an
 * internal identity or forge what the gateway says about the request.
 */
const GATEWAY_OWNED = new Set([
  'host',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
  'x-real-ip',
]);

/** Clients cannot send these to a service: `expect` is answered by the gateway itself. */
const NOT_FORWARDED_UP = new Set(['expect']);

/** Upstream details a client has no use for. */
const NOT_FORWARDED_DOWN = new Set(['x-powered-by', 'x-request-id']);

function connectionTokens(value: HeaderValue): Set<string> {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    joined
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Drops hop-by-hop headers, `Proxy-*`, and every header the Connection header names. */
export function stripHopByHop(headers: HeaderMap): CleanHeaders {
  const named = connectionTokens(headers['connection']);
  const clean: CleanHeaders = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name.startsWith('proxy-')) continue;
    clean[name] = value;
  }
  return clean;
}

export interface ForwardingFacts {
  requestId: string;
  /** The address the gateway's socket sees. */
  remoteAddress: string;
  /** True when the gateway sits behind proxies it trusts to append to X-Forwarded-For. */
  trustForwardedFor: boolean;
  /** `http` or `https`, as the client used it. */
  protocol: string;
  host: string | undefined;
}

/**
 * What a service receives: the client's end-to-end headers (authorization,
 * traceparent, tracestate, content-type, ...) plus the gateway's own request id and
 * forwarding headers.
 */
export function upstreamRequestHeaders(incoming: HeaderMap, facts: ForwardingFacts): CleanHeaders {
  const headers = stripHopByHop(incoming);
  const previousHops = facts.trustForwardedFor ? headerText(incoming['x-forwarded-for']) : '';
  for (const name of Object.keys(headers)) {
    if (GATEWAY_OWNED.has(name) || NOT_FORWARDED_UP.has(name) || name.startsWith('x-internal-'))
      delete headers[name];
  }
  // When the gateway traces (an SDK is running), the undici instrumentation injects the
  // gateway's own context; forwarding the client's too would send two traceparent headers,
  // which the service joins and rejects, starting a new trace. The gateway's span already
  // continues the client's trace, so nothing is lost.
  if (trace.getActiveSpan()?.isRecording()) {
    delete headers['traceparent'];
    delete headers['tracestate'];
  }
  headers['x-request-id'] = facts.requestId;
  headers['x-forwarded-for'] = previousHops ? `${previousHops}, ${facts.remoteAddress}` : facts.remoteAddress;
  headers['x-forwarded-proto'] = facts.protocol;
  if (facts.host) headers['x-forwarded-host'] = facts.host;
  return headers;
}

/**
 * What the client receives from a service's answer. A `Location` pointing at the
 * upstream's own origin becomes a path, so internal addresses never leak.
 */
export function clientResponseHeaders(upstream: HeaderMap, upstreamOrigin: string): CleanHeaders {
  const headers = stripHopByHop(upstream);
  for (const name of NOT_FORWARDED_DOWN) delete headers[name];
  const location = headers['location'];
  if (typeof location === 'string' && location.startsWith(upstreamOrigin)) {
    const rest = location.slice(upstreamOrigin.length);
    // Only the origin itself, not `http://svc:3001` as a prefix of `http://svc:30010`.
    if (rest === '' || /^[/?#]/.test(rest)) headers['location'] = rest.startsWith('/') ? rest : `/${rest}`;
  }
  return headers;
}

function headerText(value: HeaderValue): string {
  return (Array.isArray(value) ? value.join(', ') : (value ?? '')).trim();
}
