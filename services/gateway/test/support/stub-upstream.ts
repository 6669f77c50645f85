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
  host: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string): RecordedRequest[];
  setReady(ready: boolean): void;
  /** Stops listening and drops every connection: from now on, connections are refused. */
  close(): Promise<void>;
  /** Listens again on the same address and port, as a restarted instance would. */
  reopen(): Promise<void>;
  /** Requests to paths ending in `/hold` waiting for releaseHeld(). */
  held(): number;
  /** Answers every held request with 200. */
  releaseHeld(): void;
}

export interface StubOptions {
  /** Another loopback address (127.0.0.2, ...) lets several stubs share one port, as DNS replicas do. */
  host?: string;
  port?: number;
}

/**
 * A plain node:http server standing in for a Surge service: it serves the JWKS of
 * the given keys and `/health/ready`, and echoes every other request as JSON. Paths
 * ending in `/slow`, `/hop-headers`, `/stream` or `/large` (LARGE_ANSWER_BYTES, written as
 * fast as the socket takes them) behave as their names say; a path
 * ending in `/status-NNN` answers status NNN, and one ending in `/hold` waits until
 * the test releases it.
 */
export async function startStubUpstream(
  keys: TestKeyPair[] = [],
  options: StubOptions = {},
): Promise<StubUpstream> {
  const host = options.host ?? '127.0.0.1';
  const jwks = JSON.stringify({ keys: keys.map((pair) => toPublicJwk(pair.publicKey, pair.kid)) });
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const holding: ServerResponse[] = [];
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
      if (path.endsWith('/hold')) return void holding.push(res);
      if (path.endsWith('/hop-headers')) return sendHopHeaders(res, origin);
      if (path.endsWith('/stream')) return sendStream(res);
      if (path.endsWith('/large')) return sendLarge(res);
      const status = /\/status-(\d{3})$/.exec(path)?.[1];
      if (status) return sendJson(res, Number(status), { status: Number(status) });
      sendJson(res, 200, { method: req.method, url, headers: req.headers, bodyBytes });
    });
  });
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;
  return {
    url: origin,
    host,
    port,
    requests,
    requestsTo: (prefix) => requests.filter((request) => request.url.startsWith(prefix)),
    setReady: (value) => {
      ready = value;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      holding.splice(0);
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    reopen: () => listen(port),
    held: () => holding.length,
    releaseHeld: () => {
      for (const res of holding.splice(0)) sendJson(res, 200, { held: true });
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

/** The size of a `/large` answer: far more than the sockets between stub, gateway and client buffer. */
export const LARGE_ANSWER_BYTES = 8 * 1024 * 1024;

/** Byte i of a `/large` answer, so a client can check every byte arrived in order. */
export const largeAnswerByte = (index: number): number => index % 251;

function sendLarge(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': LARGE_ANSWER_BYTES });
  const chunkBytes = 64 * 1024;
  let sent = 0;
  const writeMore = (): void => {
    while (sent < LARGE_ANSWER_BYTES) {
      const chunk = Buffer.alloc(chunkBytes, 0);
      for (let i = 0; i < chunkBytes; i++) chunk[i] = largeAnswerByte(sent + i);
      sent += chunkBytes;
      if (!res.write(chunk)) return void res.once('drain', writeMore);
    }
    res.end();
  };
  writeMore();
}
