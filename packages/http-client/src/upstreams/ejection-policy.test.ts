import { ejectionDurationMs, mayEject, type EjectionPolicy } from './ejection-policy';

const policy: EjectionPolicy = {
  consecutiveFailures: 3,
  baseMs: 10_000,
  maxMs: 120_000,
  maxEjectedPercent: 50,
};

describe('ejection duration', () => {
  it('starts at the base and doubles with every ejection in a row, up to the maximum', () => {
    const durations = [0, 1, 2, 3, 4, 5].map((previous) => ejectionDurationMs(previous, policy));

    expect(durations).toEqual([10_000, 20_000, 40_000, 80_000, 120_000, 120_000]);
  });

  it('stays at the maximum however often an instance was ejected', () => {
    expect(ejectionDurationMs(10_000, policy)).toBe(120_000);
  });
});

describe('the ejection cap', () => {
  it('lets one of three instances be ejected when the others take traffic', () => {
    expect(mayEject({ total: 3, ejected: 0, othersAvailable: 2 }, policy)).toBe(true);
  });

  it('keeps a second of three in rotation, at most half may be out', () => {
    expect(mayEject({ total: 3, ejected: 1, othersAvailable: 1 }, policy)).toBe(false);
  });

  it('lets two of four be ejected', () => {
    expect(mayEject({ total: 4, ejected: 1, othersAvailable: 2 }, policy)).toBe(true);
    expect(mayEject({ total: 4, ejected: 2, othersAvailable: 1 }, policy)).toBe(false);
  });

  it('never ejects a single instance', () => {
    expect(
      mayEject({ total: 1, ejected: 0, othersAvailable: 0 }, { ...policy, maxEjectedPercent: 100 }),
    ).toBe(false);
  });

  it('never ejects the last instance that takes traffic, whatever the percentage allows', () => {
    expect(
      mayEject({ total: 4, ejected: 0, othersAvailable: 0 }, { ...policy, maxEjectedPercent: 100 }),
    ).toBe(false);
  });

  it('ejects nothing at 0 %', () => {
    expect(mayEject({ total: 10, ejected: 0, othersAvailable: 9 }, { ...policy, maxEjectedPercent: 0 })).toBe(
      false,
    );
  });
});
