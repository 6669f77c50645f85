import type { ServerResponse } from 'node:http';
import { ProxyAbort } from './proxy-errors';

/**
 * Aborts one upstream call, and remembers why: the upstream took longer than its budget
 * to send response headers, or the client hung up (then there is nobody left to answer,
 * and the upstream should stop working for it).
 *
 * It holds the call's abort function (from undici's dispatch controller) rather than an
 * AbortController: a controller and its signal per proxied request were about 1 % of the
 * gateway's CPU in its profile (createAbortSignal and the EventTarget behind it), for a
 * signal that almost never fires.
 */
export class CallGuard {
  private timer: NodeJS.Timeout | undefined;
  private settled = false;
  private abortCall: ((reason: Error) => void) | undefined;
  reason: ProxyAbort | undefined;
  timedOut = false;
  clientGone = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly timeoutMs: number,
  ) {
    // The client may have hung up while an earlier step waited (for Redis, say): its
    // 'close' has been and gone, and a write to its response would wait for a drain
    // that never comes, keeping the upstream call (and at shutdown, its pool) waiting.
    if (res.destroyed && !res.writableFinished) {
      this.clientGone = true;
      this.reason = new ProxyAbort('client-gone');
      return;
    }
    res.once('close', this.onClose);
  }

  /** The call has started: `abort` stops it (at once, if the guard already fired). */
  bindAbort(abort: (reason: Error) => void): void {
    this.abortCall = abort;
    if (this.reason) abort(this.reason);
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
    if (this.reason) return;
    this.reason = reason;
    this.abortCall?.(reason);
  }
}
