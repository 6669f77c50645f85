import type { RequestHandler } from 'express';
import { AppError } from '@surge/errors';
import type { FaultSwitch } from '../../domain/faults';

/**
 * Applies the switched-on faults to the processor API, in the order a caller meets
 * them: no answer at all, a slow answer, a failed answer. (Dropping the connection
 * after a capture happens in the charge route, after the commit.)
 */
export function faultInjection(faults: FaultSwitch): RequestHandler {
  return async (_req, _res, next) => {
    const current = faults.current;
    // Neither next() nor an answer: the request stays open until the caller gives up
    // (or the server's request timeout ends it).
    if (current.hang) return;
    if (current.latencyMs > 0) await delay(current.latencyMs);
    if (faults.failsNow()) throw new AppError('INTERNAL', 'simulated processor failure');
    next();
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
