import type { Request, RequestHandler, Response } from 'express';
import { runChain } from './proxy-listener';

const req = {} as Request;
const res = {} as Response;

/** Runs the chain and resolves with what `done` was called with, and how often. */
async function outcomeOf(chain: RequestHandler[]): Promise<{ calls: unknown[]; ran: string[] }> {
  const calls: unknown[] = [];
  const ran: string[] = [];
  const named = chain.map((step, index): RequestHandler => (rq, rs, next) => {
    ran.push(`step ${index}`);
    return step(rq, rs, next);
  });
  runChain(named, req, res, (error) => calls.push(error));
  await new Promise((resolve) => setImmediate(resolve));
  return { calls, ran };
}

const boom = new Error('boom');

describe('runChain, the proxy listener’s middleware runner', () => {
  it('runs the steps in order and ends without an error when the last one passes the request on', async () => {
    const outcome = await outcomeOf([(_q, _s, next) => next(), (_q, _s, next) => next()]);

    expect(outcome.ran).toEqual(['step 0', 'step 1']);
    expect(outcome.calls).toEqual([undefined]);
  });

  it('stops at a step that answers and never calls done', async () => {
    const outcome = await outcomeOf([() => undefined, (_q, _s, next) => next()]);

    expect(outcome.ran).toEqual(['step 0']);
    expect(outcome.calls).toEqual([]);
  });

  it('skips the rest after next(error) and hands the error to done', async () => {
    const outcome = await outcomeOf([(_q, _s, next) => next(boom), (_q, _s, next) => next()]);

    expect(outcome.ran).toEqual(['step 0']);
    expect(outcome.calls).toEqual([boom]);
  });

  it('hands a thrown error and a rejected promise to done, as express 5 does', async () => {
    const thrown = await outcomeOf([
      () => {
        throw boom;
      },
    ]);
    const rejected = await outcomeOf([() => Promise.reject(boom)]);

    expect(thrown.calls).toEqual([boom]);
    expect(rejected.calls).toEqual([boom]);
  });

  it("treats next('router') as no step answering: done without an error, the rest skipped", async () => {
    const outcome = await outcomeOf([(_q, _s, next) => next('router'), (_q, _s, next) => next()]);

    expect(outcome.ran).toEqual(['step 0']);
    expect(outcome.calls).toEqual([undefined]);
  });

  it('calls done once when a step both calls next(error) and rejects', async () => {
    const outcome = await outcomeOf([
      (_q, _s, next) => {
        next(boom);
        return Promise.reject(new Error('later'));
      },
    ]);

    expect(outcome.calls).toEqual([boom]);
  });
});
