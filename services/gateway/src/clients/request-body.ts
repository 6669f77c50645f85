import type { IncomingMessage } from 'node:http';
import { ByteLimit } from './byte-limit';
import type { CallGuard } from './call-guard';
import { bodyTooLarge } from './proxy-errors';

/**
 * How a request body travels to an instance: not at all, streamed once (the default,
 * nothing held in memory), or buffered so that a retry can send it again.
 */
export type OutgoingBody = { kind: 'none' } | { kind: 'stream' } | { kind: 'buffered'; bytes: Buffer };

/** The client's body on its way up, counted against the limit; the clock starts when it is all sent. */
export function countedBody(req: IncomingMessage, limitBytes: number, guard: CallGuard): ByteLimit {
  const body = new ByteLimit(limitBytes);
  // undici listens too, but maybe not yet when the limit trips; `exceeded` carries the news.
  body.on('error', () => undefined);
  body.once('finish', guard.startClock);
  req.pipe(body);
  return body;
}

/**
 * Reads the whole body into memory (bodies are at most the 1 MB limit), so it can be
 * sent to a second instance. Rejects with a 413 error as soon as the limit is passed,
 * leaving the rest unread for the caller to drain; resolves to undefined when the
 * client goes away first (nobody is left to answer).
 */
export function bufferBody(req: IncomingMessage, limitBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        stop();
        req.pause();
        reject(bodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onClose = () => {
      stop();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
  });
}
