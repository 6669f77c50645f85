import { RetryBudget } from '../src';

/** The retry budget on its own, with a clock the test moves. */
describe('RetryBudget', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('always allows the minimum, so a quiet client can still retry', () => {
    const budget = new RetryBudget({ ratio: 0.1, minPerSecond: 1, windowMs: 10_000 }, clock);
    budget.recordCall();
    const granted = Array.from({ length: 15 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(10);
  });

  it('adds a tenth of a retry per call on top of the minimum', () => {
    const budget = new RetryBudget({ ratio: 0.1, minPerSecond: 0, windowMs: 10_000 }, clock);
    for (let i = 0; i < 200; i += 1) budget.recordCall();
    const granted = Array.from({ length: 100 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(20);
  });

  it('forgets calls and retries once they leave the sliding window', () => {
    const budget = new RetryBudget({ ratio: 0.1, minPerSecond: 0.2, windowMs: 10_000 }, clock);
    while (budget.tryRetry());
    expect(budget.tryRetry()).toBe(false);

    now += 10_000;

    expect(budget.tryRetry()).toBe(true);
  });
});
