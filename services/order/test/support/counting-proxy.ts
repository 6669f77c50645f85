import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through in front of an upstream stub that counts every request reaching it,
 * whatever the stub then answers (the payment stub records charges only when it is up).
 * A test proves with it that an open breaker sends nothing at all.
 */
export interface CountingProxy {
  url: string;
  /** Where requests go; set once the stub behind it exists. */
  target: string | undefined;
  hits: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startCountingProxy(): Promise<CountingProxy> {
  const proxy = { target: undefined, hits: 0 } as unknown as CountingProxy;
  const server = createServer((req, res) => {
    proxy.hits += 1;
    void (async () => {
      const body = await readBody(req);
      const headers = { ...req.headers } as Record<string, string>;
      delete headers.host;
      delete headers.connection;
      const upstream = await fetch(`${proxy.target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length ? { body } : {}),
      });
      const text = await upstream.text();
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'text/plain',
      });
      res.end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
