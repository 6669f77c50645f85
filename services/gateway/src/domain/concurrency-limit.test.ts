import { ConcurrencyLimit } from './concurrency-limit';

describe('the concurrency limit', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('admits requests up to the limit and refuses the next at once without a queue', async () => {
    const limit = new ConcurrencyLimit({ maxInflight: 2, maxQueued: 10, maxWaitMs: 0 });

    const admitted = await Promise.all([limit.acquire(), limit.acquire()]);
    const refused = await limit.acquire();

    expect(admitted.every((release) => typeof release === 'function')).toBe(true);
    expect(refused).toBeUndefined();
    expect(limit.inflight).toBe(2);
  });

  it('frees a slot when a request is released, once however often release is called', async () => {
    const limit = new ConcurrencyLimit({ maxInflight: 1, maxQueued: 0, maxWaitMs: 0 });
    const release = await limit.acquire();

    release?.();
    release?.();

    expect(limit.inflight).toBe(0);
    expect(await limit.acquire()).toBeDefined();
    expect(await limit.acquire()).toBeUndefined();
  });

  it('hands a freed slot to the longest waiter first', async () => {
    const limit = new ConcurrencyLimit({ maxInflight: 1, maxQueued: 5, maxWaitMs: 1_000 });
    const release = await limit.acquire();
    const order: string[] = [];
    const first = limit.acquire().then((slot) => (order.push('first'), slot));
    const second = limit.acquire().then((slot) => (order.push('second'), slot));

    release?.();
    (await first)?.();
    await second;

    expect(order).toEqual(['first', 'second']);
    expect(limit.inflight).toBe(1);
    expect(limit.queued).toBe(0);
  });

  it('refuses a waiter whose wait runs out', async () => {
    const limit = new ConcurrencyLimit({ maxInflight: 1, maxQueued: 5, maxWaitMs: 50 });
    await limit.acquire();
    const waiting = limit.acquire();

    jest.advanceTimersByTime(50);

    expect(await waiting).toBeUndefined();
    expect(limit.queued).toBe(0);
  });

  it('refuses at once when the queue is full', async () => {
    const limit = new ConcurrencyLimit({ maxInflight: 1, maxQueued: 1, maxWaitMs: 1_000 });
    await limit.acquire();
    void limit.acquire();

    expect(await limit.acquire()).toBeUndefined();
  });

  it('withdraws a waiter whose client went away, and its slot goes to the next', async () => {
    const limit = new ConcurrencyLimit({ maxInflight: 1, maxQueued: 5, maxWaitMs: 1_000 });
    const release = await limit.acquire();
    const gone = new AbortController();
    const leaving = limit.acquire(gone.signal);
    const staying = limit.acquire();

    gone.abort();
    release?.();

    expect(await leaving).toBeUndefined();
    expect(await staying).toBeDefined();
    expect(limit.inflight).toBe(1);
  });
});
