import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server does with one request: answer a status, hang, or drop the connection. */
export type Behaviour = { status: number; delayMs?: number } | 'hang' | 'drop';

export interface TestServer {
  url: string;
  /** Requests that reached the server, in order. */
  hits: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  /** Decides each answer; replace it to change behaviour mid-test. */
  behaviour: (hit: number) => Behaviour;
  close(): Promise<void>;
}

/** A real node:http server on port 0 that counts hits and answers as told. */
export async function startTestServer(behaviour: TestServer['behaviour']): Promise<TestServer> {
  const state = { hits: [], behaviour } as unknown as TestServer;
  const server: Server = createServer((req, res) => {
    state.hits.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    const next = state.behaviour(state.hits.length);
    if (next === 'hang') return;
    if (next === 'drop') return void res.destroy();
    const answer = () =>
      res
        .writeHead(next.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ n: state.hits.length }));
    if (next.delayMs) setTimeout(answer, next.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
