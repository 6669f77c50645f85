import {
  CLIENT_MUST_NOT_SET,
  clientResponseHeaders,
  stripHopByHop,
  upstreamRequestHeaders,
} from './forwarded-headers';

const facts = {
  requestId: 'gw-req-1',
  remoteAddress: '198.51.100.4',
  trustForwardedFor: false,
  protocol: 'http',
  host: 'shop.example',
  deadlineMs: 5_000,
};

describe('hop-by-hop header filtering', () => {
  it('drops the headers that belong to one connection', () => {
    const clean = stripHopByHop({
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic x',
      'proxy-authenticate': 'Basic',
      te: 'trailers',
      trailer: 'x-checksum',
      'transfer-encoding': 'chunked',
      upgrade: 'h2c',
      'content-type': 'application/json',
    });
    expect(clean).toEqual({ 'content-type': 'application/json' });
  });

  it('drops every header the Connection header names', () => {
    const clean = stripHopByHop({
      connection: 'close, X-Secret-Hop ,x-other',
      'x-secret-hop': '1',
      'x-other': '2',
      accept: '*/*',
    });
    expect(clean).toEqual({ accept: '*/*' });
  });

  it('keeps end-to-end headers, including repeated ones', () => {
    const clean = stripHopByHop({ 'set-cookie': ['a=1', 'b=2'], etag: '"v1"', missing: undefined });
    expect(clean).toEqual({ 'set-cookie': ['a=1', 'b=2'], etag: '"v1"' });
  });
});

describe('headers sent to a service', () => {
  it("passes the client's end-to-end headers through", () => {
    const headers = upstreamRequestHeaders(
      {
        authorization: 'Bearer t',
        'idempotency-key': 'k-1',
        'if-none-match': '"v1"',
        'content-type': 'application/json',
      },
      facts,
    );
    expect(headers).toMatchObject({
      authorization: 'Bearer t',
      'idempotency-key': 'k-1',
      'if-none-match': '"v1"',
      'content-type': 'application/json',
    });
  });

  it.each(Object.keys(CLIENT_MUST_NOT_SET))('never forwards a client-sent %s', (name) => {
    const headers = upstreamRequestHeaders({ [name]: 'forged-1' }, facts);
    expect(headers[name]).not.toBe('forged-1');
  });

  it('sets the deadline from its own budget, whatever the client sent', () => {
    const headers = upstreamRequestHeaders({ 'x-deadline-ms': '1' }, facts);
    expect(headers['x-deadline-ms']).toBe('5000');
  });

  it('drops the trace context a client sent (the gateway injects its own)', () => {
    const headers = upstreamRequestHeaders(
      {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        tracestate: 'v=1',
        baggage: 'role=admin',
      },
      facts,
    );
    expect(headers).not.toHaveProperty('traceparent');
    expect(headers).not.toHaveProperty('tracestate');
    expect(headers).not.toHaveProperty('baggage');
  });

  it("replaces the request id and forwarding headers with the gateway's own", () => {
    const headers = upstreamRequestHeaders(
      {
        'x-request-id': 'client-id',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-proto': 'https',
        forwarded: 'for=10.0.0.1',
        host: 'shop.example',
      },
      facts,
    );
    expect(headers).toEqual({
      'x-request-id': 'gw-req-1',
      'x-deadline-ms': '5000',
      'x-forwarded-for': '198.51.100.4',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example',
    });
  });

  it('appends to X-Forwarded-For only behind trusted proxies', () => {
    const headers = upstreamRequestHeaders(
      { 'x-forwarded-for': '203.0.113.9' },
      { ...facts, trustForwardedFor: true },
    );
    expect(headers['x-forwarded-for']).toBe('203.0.113.9, 198.51.100.4');
  });

  it('never lets a client send internal headers or Expect', () => {
    const headers = upstreamRequestHeaders(
      { 'x-internal-token': 'forged', 'x-internal-caller': 'order', expect: '100-continue' },
      facts,
    );
    expect(Object.keys(headers).sort()).toEqual([
      'x-deadline-ms',
      'x-forwarded-for',
      'x-forwarded-host',
      'x-forwarded-proto',
      'x-request-id',
    ]);
  });
});

describe('headers sent back to the client', () => {
  const origin = 'http://10.1.2.3:3001';

  it("drops hop-by-hop headers, the service's request id and x-powered-by", () => {
    const headers = clientResponseHeaders(
      {
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        'x-request-id': 'svc',
        'x-powered-by': 'Express',
        'content-type': 'application/json',
      },
      origin,
    );
    expect(headers).toEqual({ 'content-type': 'application/json' });
  });

  it("turns a Location at the service's own address into a path", () => {
    expect(clientResponseHeaders({ location: `${origin}/api/orders/1` }, origin).location).toBe(
      '/api/orders/1',
    );
    expect(clientResponseHeaders({ location: origin }, origin).location).toBe('/');
  });

  it('leaves other Locations alone', () => {
    expect(clientResponseHeaders({ location: '/api/orders/1' }, origin).location).toBe('/api/orders/1');
    expect(clientResponseHeaders({ location: 'http://10.1.2.3:30010/x' }, origin).location).toBe(
      'http://10.1.2.3:30010/x',
    );
  });
});
