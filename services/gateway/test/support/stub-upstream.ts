import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toPublicJwk } from '@surge/auth';
import type { TestKeyPair } from '@surge/testing';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

export interface StubUpstream {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string): RecordedRequest[];
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

/**
 * A plain node:http server standing in for a Surge service: it serves the JWKS of
 * the given keys and `/health/ready`, and echoes every other request as JSON. Paths
 * ending in `/slow`, `/hop-headers` or `/stream` behave as their names say.
 */
export async function startStubUpstream(keys: TestKeyPair[] = []): Promise<StubUpstream> {
  const jwks = JSON.stringify({ keys: keys.map((pair) => toPublicJwk(pair.publicKey, pair.kid)) });
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let ready = true;
  let origin = '';

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url, headers: req.headers, bodyBytes });
      if (path === '/api/auth/jwks') return sendJson(res, 200, JSON.parse(jwks));
      if (path === '/health/ready')
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'up' : 'down' });
      if (path.endsWith('/slow')) {
        const delayMs = Number(new URL(url, origin).searchParams.get('delayMs') ?? 3_000);
        const timer = setTimeout(() => {
          timers.delete(timer);
          sendJson(res, 200, { slow: true });
        }, delayMs);
        timers.add(timer);
        return;
      }
      if (path.endsWith('/hop-headers')) return sendHopHeaders(res, origin);
      if (path.endsWith('/stream')) return sendStream(res);
      sendJson(res, 200, { method: req.method, url, headers: req.headers, bodyBytes });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    requests,
    requestsTo: (prefix) => requests.filter((request) => request.url.startsWith(prefix)),
    setReady: (value) => {
      ready = value;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendHopHeaders(res: ServerResponse, origin: string): void {
  res.writeHead(201, {
    'content-type': 'application/json',
    connection: 'keep-alive, x-upstream-hop',
    'x-upstream-hop': 'for the gateway only',
    'proxy-authenticate': 'Basic realm="stub"',
    'x-powered-by': 'Stub',
    'x-request-id': 'the-service-own-id',
    'x-end-to-end': 'kept',
    location: `${origin}/api/auth/elsewhere?x=1`,
  });
  res.end('{"hop":true}');
}

function sendStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  let part = 0;
  const writeNext = () => {
    if (part === 5) return void res.end(']');
    res.write(`${part === 0 ? '[' : ','}${part}`);
    part += 1;
    setTimeout(writeNext, 5);
  };
  writeNext();
}
