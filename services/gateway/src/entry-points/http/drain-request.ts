import type { IncomingMessage, ServerResponse } from 'node:http';

/** Beyond this a client sending a refused body is cut off instead of heard out. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

/**
 * Reads and discards the rest of a request body before the gateway answers it, as
 * body-parser does: a client still writing a large body often misses an early answer
 * when the server closes the socket under it (the kernel resets the connection). A
 * client that sends more than MAX_DRAIN_BYTES gets the answer with `Connection: close`.
 */
export function drainRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_DRAIN_BYTES) {
    res.setHeader('Connection', 'close');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let drained = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', done);
      req.off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > MAX_DRAIN_BYTES) {
        res.setHeader('Connection', 'close');
        req.pause();
        done();
      }
    };
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}
