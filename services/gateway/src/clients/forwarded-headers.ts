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
 * Headers a service trusts (or a library in it might), so a client must never set them:
 * the gateway drops each one the client sent and sets its own where it has one. The
 * complete list, each with what a forged value would do; forwarded-headers.test.ts and
 * test/header-trust.test.ts attack every entry. Anything starting `x-internal-` is
 * dropped too (reserved for service-to-service calls).
 */
export const CLIENT_MUST_NOT_SET: Readonly<Record<string, string>> = {
  host: "the upstream's own authority; the client's is passed as x-forwarded-host",
  'x-request-id':
    "the gateway's id, so every log line of a request is found by one id; a client's is kept only when short and plain (http-kit request-id.ts), else replaced",
  'x-deadline-ms':
    "the caller's remaining budget (http-kit's deadline): a forged 1 ms made services answer 504 without working, a forged 5 min pinned work; the gateway sets its own",
  traceparent:
    "W3C trace context: a forged sampled flag made every service record the trace; the gateway's tracing injects its own",
  tracestate: 'vendor trace state that travels with traceparent',
  baggage: 'W3C baggage: key/values every service would carry into spans and onward calls',
  'x-forwarded-for': 'the client address services log and limit by; the gateway writes what it saw',
  'x-forwarded-proto': 'how the client connected; the gateway writes it',
  'x-forwarded-host': 'the host the client asked for; the gateway writes it',
  'x-forwarded-port': 'forwarding facts a framework may trust',
  'x-forwarded-prefix': 'forwarding facts a framework may trust',
  forwarded: 'RFC 7239 forwarding facts (for, proto, host)',
  'x-real-ip': 'a client address some proxies and frameworks trust',
  'x-client-ip': 'a client address some frameworks trust',
  'true-client-ip': 'a client address some CDNs and frameworks trust',
  'x-original-url': 'a path some frameworks route by instead of the request line',
  'x-rewrite-url': 'a path some frameworks route by instead of the request line',
  'x-http-method-override': 'a method some frameworks use instead of the request line',
  'x-http-method': 'a method some frameworks use instead of the request line',
  'x-method-override': 'a method some frameworks use instead of the request line',
  expect: 'answered by the gateway itself (100-continue), never by a service',
};

const CLIENT_MUST_NOT_SET_NAMES = new Set(Object.keys(CLIENT_MUST_NOT_SET));

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
  /** The gateway's own budget for the upstream's answer, sent as x-deadline-ms. */
  deadlineMs: number;
}

/**
 * What a service receives: the client's end-to-end headers (authorization,
 * content-type, idempotency-key, if-none-match, ...) without any header of
 * CLIENT_MUST_NOT_SET, plus the gateway's own request id, deadline and forwarding
 * headers. Trace context is not forwarded: when the gateway traces, each upstream
 * attempt gets the gateway's own traceparent (upstream-proxy.ts; it continues the
 * client's trace id, with the gateway's own sampling decision: packages/telemetry's
 * edge-request-trace.ts); without tracing, services start their own traces.
 */
export function upstreamRequestHeaders(incoming: HeaderMap, facts: ForwardingFacts): CleanHeaders {
  const headers = stripHopByHop(incoming);
  const previousHops = facts.trustForwardedFor ? headerText(incoming['x-forwarded-for']) : '';
  for (const name of Object.keys(headers)) {
    if (CLIENT_MUST_NOT_SET_NAMES.has(name) || name.startsWith('x-internal-')) delete headers[name];
  }
  headers['x-request-id'] = facts.requestId;
  headers['x-deadline-ms'] = String(facts.deadlineMs);
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
