import { FailureWindow } from './failure-window';

describe('FailureWindow', () => {
  let now = 0;
  const clock = () => now;

  it('refuses a key that reached the limit until its window ends, and only that key', () => {
    const window = new FailureWindow({ limit: 3, windowMs: 60_000 }, clock);
    for (let i = 0; i < 2; i += 1) window.recordFailure('10.0.0.1');
    expect(window.retryAfterSeconds('10.0.0.1')).toBeUndefined();

    window.recordFailure('10.0.0.1');
    now += 20_000;
    expect(window.retryAfterSeconds('10.0.0.1')).toBe(40);
    expect(window.retryAfterSeconds('10.0.0.2')).toBeUndefined();

    now += 40_000;
    expect(window.retryAfterSeconds('10.0.0.1')).toBeUndefined();
  });

  it('holds at most maxKeys keys, forgetting finished windows first', () => {
    const window = new FailureWindow({ limit: 1, windowMs: 1_000, maxKeys: 2 }, clock);
    window.recordFailure('a');
    now += 2_000;
    window.recordFailure('b');
    window.recordFailure('c');
    expect(window.retryAfterSeconds('b')).toBe(1);
    expect(window.retryAfterSeconds('c')).toBe(1);
  });
});
