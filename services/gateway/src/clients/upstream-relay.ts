import { AsyncResource } from 'node:async_hooks';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CallGuard } from './call-guard';

/**
 * How a relayed call ended: before any byte of an answer went to the client (then the
 * caller may try another instance or answer with a problem), or after (then a failure
 * can only have cut the answer short).
 */
export type RelayEnd = { answered: false; error: Error } | { answered: true; interrupted: Error | undefined };

/**
 * Sends one request with undici's `dispatch` and writes the upstream's answer straight
 * into the client's response: status and headers through `writeHead`, each chunk with
 * `res.write` (pausing the upstream while the client's socket is full), then `res.end`.
 *
 * Why not `pool.request()` and a pipe: that builds a readable body stream per answer, a
 * pipe between it and the response with its listeners, and an abort signal, all to move
 * one or two chunks; this is what a proxy's hot path does instead (undici's own
 * `pool.stream()` still registers stream.finished's listeners on the response).
 */
export function relayAnswer(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  res: ServerResponse,
  guard: CallGuard,
  writeHead: (statusCode: number, headers: IncomingHttpHeaders) => void,
): Promise<RelayEnd> {
  return new Promise((resolve) => {
    const relay = new AnswerRelay(res, guard, writeHead, resolve);
    try {
      dispatcher.dispatch(options, relay);
    } catch (error) {
      resolve({ answered: false, error: error instanceof Error ? error : new Error(String(error)) });
    }
  });
}

/**
 * undici's handler for one call. An AsyncResource, as undici's own request handlers are:
 * the answer's status line, end and errors are written in the request's async context
 * (its trace and its log lines' request id), not in the pooled connection's.
 */
class AnswerRelay extends AsyncResource implements Dispatcher.DispatchHandler {
  private answered = false;
  private waitingForDrain = false;
  private resume: (() => void) | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly guard: CallGuard,
    private readonly writeHead: (statusCode: number, headers: IncomingHttpHeaders) => void,
    private readonly settle: (end: RelayEnd) => void,
  ) {
    super('SURGE_PROXY_RELAY');
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.guard.bindAbort((reason) => controller.abort(reason));
    this.resume = () => {
      this.waitingForDrain = false;
      controller.resume();
    };
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return; // informational (100 Continue, 103): the final answer follows
    // The budget runs to the response headers; a stalled body is undici's bodyTimeout's.
    this.guard.settle();
    this.runInAsyncScope(this.writeHead, null, statusCode, headers);
    this.answered = true;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.res.write(chunk) || this.waitingForDrain || !this.resume) return;
    // A destroyed response never drains: stop the upstream instead of waiting for it.
    if (this.res.destroyed) return controller.abort(new Error('the client is gone'));
    this.waitingForDrain = true;
    controller.pause();
    this.res.once('drain', this.resume);
  }

  onResponseEnd(): void {
    this.runInAsyncScope(() => {
      this.res.end();
      this.settle({ answered: true, interrupted: undefined });
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.runInAsyncScope(() => {
      if (!this.answered) return this.settle({ answered: false, error });
      // Headers are out: the only honest signal left is a cut connection.
      this.res.destroy(error);
      this.settle({ answered: true, interrupted: error });
    });
  }
}
