import { pickLeastLoadedOfTwo } from './instance-balancer';

const instance = (name: string, inflight: number) => ({ name, inflight });

/** A random source that returns the given values in turn. */
const dice = (...values: number[]) => {
  let next = 0;
  return () => values[next++ % values.length] ?? 0;
};

describe('power of two choices', () => {
  it('has nothing to pick from an empty list', () => {
    expect(pickLeastLoadedOfTwo([])).toBeUndefined();
  });

  it('picks the only candidate there is', () => {
    const only = instance('a', 7);

    expect(pickLeastLoadedOfTwo([only])).toBe(only);
  });

  it('of the two candidates drawn, picks the one with fewer requests in flight', () => {
    const busy = instance('busy', 5);
    const idle = instance('idle', 1);
    const unseen = instance('unseen', 0);

    // Draws index 0 (busy), then index 0 of the remaining two, which is idle.
    expect(pickLeastLoadedOfTwo([busy, idle, unseen], dice(0, 0))).toBe(idle);
  });

  it('never draws the same candidate twice, so a busy instance cannot be compared with itself', () => {
    const busy = instance('busy', 9);
    const idle = instance('idle', 0);

    for (const roll of [0, 0.3, 0.49, 0.5, 0.99]) {
      expect(pickLeastLoadedOfTwo([busy, idle], dice(0, roll))).toBe(idle);
      expect(pickLeastLoadedOfTwo([idle, busy], dice(0.99, roll))).toBe(idle);
    }
  });

  it('never picks the most loaded of several instances', () => {
    const candidates = [instance('a', 2), instance('b', 2), instance('hot', 50), instance('c', 3)];

    const picks = Array.from({ length: 500 }, () => pickLeastLoadedOfTwo(candidates)?.name);

    expect(picks).not.toContain('hot');
  });

  it('spreads equal load over every instance', () => {
    const candidates = ['a', 'b', 'c'].map((name) => instance(name, 0));

    const counts = new Map<string, number>();
    for (let i = 0; i < 3_000; i += 1) {
      const name = pickLeastLoadedOfTwo(candidates)?.name ?? '';
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }

    for (const name of ['a', 'b', 'c']) expect(counts.get(name)).toBeGreaterThan(800);
  });

  it('copes with a random source that returns 1 or more', () => {
    const candidates = [instance('a', 0), instance('b', 0)];

    expect(candidates).toContain(pickLeastLoadedOfTwo(candidates, () => 1));
  });
});
