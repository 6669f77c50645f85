import type { ServerResponse } from 'node:http';
import { ProxyAbort } from './proxy-errors';

/**
 * The abort signal of one upstream call, and why it fired: the upstream took longer
 * than its budget to send response headers, or the client hung up (then there is
 * nobody left to answer, and the upstream should stop working for it).
 */
export class CallGuard {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private settled = false;
  timedOut = false;
  clientGone = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly timeoutMs: number,
  ) {
    res.once('close', this.onClose);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the budget; called once the client's body is sent, since a slow upload is not the upstream's fault. */
  readonly startClock = (): void => {
    if (this.settled || this.timer) return;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new ProxyAbort('timeout'));
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
    this.controller.abort(new ProxyAbort('client-gone'));
  };
}
