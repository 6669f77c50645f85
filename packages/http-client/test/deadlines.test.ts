import { performance } from 'node:perf_hooks';
import { DependencyError } from '@surge/errors';
import {
  DEADLINE_HEADER,
  MAX_DEADLINE_MS,
  ServiceClient,
  parseDeadlineHeader,
  remainingBudgetMs,
  runWithDeadline,
} from '../src';
import { startTestServer, wait, type TestServer } from './support/test-server';

/** A call's budget: its own timeout, cut to the request's deadline, sent downstream. */
let server: TestServer;
let client: ServiceClient;

beforeEach(async () => {
  server = await startTestServer(() => ({ status: 200 }));
  client = new ServiceClient({ name: 'callee', baseUrl: server.url, timeoutMs: 2_000 });
});

afterEach(async () => {
  await client.close();
  await server.close();
});

const sentBudget = (hit = 0) => Number(server.hits[hit]?.headers[DEADLINE_HEADER]);

describe('deadline propagation', () => {
  it('sends what is left of the request budget in x-deadline-ms', async () => {
    // A budget far above the wait (a loaded machine may stretch the wait, never shrink it),
    // under the call's own timeout so that what is left of it is what gets sent.
    await runWithDeadline(10_000, async () => {
      await wait(100);
      await client.call({ path: '/a', timeoutMs: 60_000 });
    });

    expect(sentBudget()).toBeLessThanOrEqual(9_900);
    expect(sentBudget()).toBeGreaterThan(5_000);
  });

  it('sends its own timeout when that is shorter than the request budget, or when there is no deadline', async () => {
    await runWithDeadline(60_000, () => client.call({ path: '/a' }));
    await client.call({ path: '/b', timeoutMs: 700 });

    expect(sentBudget(0)).toBeLessThanOrEqual(2_000);
    expect(sentBudget(0)).toBeGreaterThan(1_900);
    expect(sentBudget(1)).toBeLessThanOrEqual(700);
  });

  it('never waits beyond the budget: a hanging upstream fails at the deadline, not at the client timeout', async () => {
    server.behaviour = () => 'hang';
    const started = performance.now();

    const error = await runWithDeadline(150, () => client.call({ path: '/a' })).catch(
      (caught: unknown) => caught,
    );

    const elapsedMs = performance.now() - started;
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ code: 'DEPENDENCY_TIMEOUT' });
    expect(elapsedMs).toBeGreaterThanOrEqual(140);
    // Below the client's own 2 s timeout, which is what it would have waited for; how far
    // below is the machine's business (a busy one is slow, not wrong).
    expect(elapsedMs).toBeLessThan(1_900);
  });

  it('does not call at all once the budget is spent', async () => {
    const error = await runWithDeadline(0, () => client.call({ path: '/a' })).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ code: 'DEPENDENCY_TIMEOUT' });
    expect((error as Error).message).toContain('deadline');
    expect(server.hits).toHaveLength(0);
  });

  it('opens the breaker on an upstream that hangs, even when every caller has a short deadline', async () => {
    server.behaviour = () => 'hang';
    const guarded = new ServiceClient({
      name: 'callee',
      baseUrl: server.url,
      timeoutMs: 2_000,
      breaker: { volumeThreshold: 3 },
    });
    try {
      for (let i = 0; i < 3; i += 1)
        await runWithDeadline(30, () => guarded.call({ path: '/a' })).catch(() => undefined);
      expect(guarded.breakerState).toBe('open');
    } finally {
      await guarded.close();
    }
  });
});

describe('the deadline context', () => {
  it('has no deadline outside a request, and nested deadlines can only shrink', async () => {
    expect(remainingBudgetMs()).toBeUndefined();
    runWithDeadline(100, () => {
      runWithDeadline(10_000, () => expect(remainingBudgetMs()).toBeLessThanOrEqual(100));
      runWithDeadline(20, () => expect(remainingBudgetMs()).toBeLessThanOrEqual(20));
    });
  });

  it.each([
    ['250', 250],
    ['0', 0],
    [['40', '90'], 40],
    [String(MAX_DEADLINE_MS * 10), MAX_DEADLINE_MS],
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads the header %j as %j', (value, expected) => {
    expect(parseDeadlineHeader(value)).toBe(expected);
  });
});
