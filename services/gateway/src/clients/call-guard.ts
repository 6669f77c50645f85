import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { ProxyAbort } from './proxy-errors';

/**
 * The abort signal of one upstream call, and why it fired: the upstream took longer
 * than its budget to send response headers, or the client hung up (then there is
 * nobody left to answer, and the upstream should stop working for it).
 *
 * The signal is the guard itself, an EventEmitter with `aborted` and `reason`, which
 * undici takes as readily as an AbortSignal (it listens for 'abort' and reads `reason`):
 * an AbortController and its signal per proxied request were about 1 % of the gateway's
 * CPU in its profile (createAbortSignal and the EventTarget behind it), for a signal
 * that almost never fires.
 */
export class CallGuard extends EventEmitter {
  aborted = false;
  reason: ProxyAbort | undefined;
  private timer: NodeJS.Timeout | undefined;
  private settled = false;
  timedOut = false;
  clientGone = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly timeoutMs: number,
  ) {
    super();
    res.once('close', this.onClose);
  }

  /** What undici's `signal` option takes: an EventEmitter that emits 'abort' once. */
  get signal(): EventEmitter {
    return this;
  }

  /** Starts the budget; called once the client's body is sent, since a slow upload is not the upstream's fault. */
  readonly startClock = (): void => {
    if (this.settled || this.timer) return;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(new ProxyAbort('timeout'));
    }, this.timeoutMs);
  };

  /** Response headers arrived (or the call failed): the budget no longer applies. */
  settle(): void {
    this.settled = true;
    clearTimeout(this.timer);
  }

  release(): void {
    this.settle();
    this.res.off('close', this.onClose);
  }

  private readonly onClose = (): void => {
    if (this.res.writableFinished) return;
    this.clientGone = true;
    this.abort(new ProxyAbort('client-gone'));
  };

  private abort(reason: ProxyAbort): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}
