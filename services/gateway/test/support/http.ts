import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export interface SendOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  /** Sent with Content-Length unless `chunks` is used. */
  body?: string | Buffer;
  /** Sent one by one with chunked transfer encoding. */
  chunks?: Buffer[];
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * A raw node:http request, because fetch and undici refuse to send the hop-by-hop
 * headers these tests need to send (Connection tokens, Keep-Alive, TE, Upgrade).
 */
export function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...options.headers };
    if (options.body !== undefined) headers['content-length'] ??= Buffer.byteLength(options.body);
    const req = request(
      new URL(path, baseUrl),
      { method: options.method ?? 'GET', headers, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

/** Shared with every service's tests. */
export { closedPort } from '@surge/testing';
