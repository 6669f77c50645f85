import { Router, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from '@surge/errors';
import { jsonBody } from '../body-parsing';
import { validate } from '../validate';
import { FaultSwitch, faultsBody } from './fault-switch';

/**
 * Development-only fault injection, installed by createHttpApp when `faultInjection` is
 * on. NEVER in production: the flag is FAULT_INJECTION, which parseConfig refuses
 * together with NODE_ENV=production, and without it neither the control endpoint nor the
 * middleware exists. /health, /metrics and /_control itself are mounted before the
 * middleware, so they keep answering whatever is switched on.
 */
export function faultInjection(options: FaultInjectionOptions = {}): {
  control: Router;
  inject: RequestHandler;
} {
  const faults = options.faults ?? new FaultSwitch();
  return { control: faultControlRoutes(faults), inject: injectFaults(faults, options.dropsAnswerOf) };
}

export interface FaultInjectionOptions {
  faults?: FaultSwitch;
  /**
   * Which requests drop-after-commit may drop (default: every request that changes
   * something). The payment-provider simulator narrows it to captures, the lost answer
   * its callers must survive.
   */
  dropsAnswerOf?: (req: Request) => boolean;
}

/** `GET|PUT|DELETE /_control/faults`: see what is on, switch faults on (PUT) or off (DELETE). */
function faultControlRoutes(faults: FaultSwitch): Router {
  const router = Router();
  router.use(jsonBody('16kb'));
  router.get('/faults', (_req, res) => {
    res.json(faults.current);
  });
  router.put('/faults', (req, res) => {
    res.json(faults.replace(validate(faultsBody, req.body)));
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  return router;
}

/**
 * Applies the faults in the order a caller meets them: no answer at all, a slow answer,
 * a failed answer, an answer lost after the work was done.
 */
function injectFaults(
  faults: FaultSwitch,
  dropsAnswerOf: (req: Request) => boolean = () => true,
): RequestHandler {
  return async (req, res, next) => {
    const current = faults.current;
    // Neither next() nor an answer: the request stays open until the caller gives up.
    if (current.hang) return;
    if (current.latencyMs > 0) await delay(current.latencyMs);
    if (faults.failsNow())
      throw new AppError('FAULT_INJECTED', 'Injected fault (development only): error-rate');
    if (current.dropAfterCommit && dropsAnswerOf(req)) dropAnswerAfterWork(req, res);
    next();
  };
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The handler runs to the end (its transaction commits); when it answers, the socket is
 * destroyed instead, so the caller sees a dropped connection and cannot know whether the
 * work happened. Reads, failures (status >= 400) and answers marked with
 * markNothingCommitted (an idempotent replay) go through: nothing was changed by them.
 */
function dropAnswerAfterWork(req: Request, res: Response): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    const changedSomething =
      !READS.has(req.method) && res.statusCode < 400 && res.locals[NOTHING_COMMITTED] !== true;
    if (!changedSomething) return end(...args);
    req.socket.destroy();
    return res;
  }) as Response['end'];
}

const NOTHING_COMMITTED = 'faultsNothingCommitted';

/**
 * Tells drop-after-commit that this answer reports earlier work (an idempotent replay):
 * it is delivered, so a retry with the same key learns the outcome.
 */
export function markNothingCommitted(res: Response): void {
  res.locals[NOTHING_COMMITTED] = true;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
