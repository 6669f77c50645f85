import { FaultSwitch, NO_FAULTS } from './faults';

describe('FaultSwitch', () => {
  it('replaces the whole set: what a PUT leaves out is switched off', () => {
    const faults = new FaultSwitch();
    faults.replace({ latencyMs: 100, hang: true });
    expect(faults.replace({ errorRate: 0.5 })).toEqual({ ...NO_FAULTS, errorRate: 0.5 });
  });

  it('fails a request when the draw is under the error rate, never at rate 0', () => {
    const faults = new FaultSwitch();
    expect(faults.failsNow(() => 0)).toBe(false);
    faults.replace({ errorRate: 0.25 });
    expect(faults.failsNow(() => 0.1)).toBe(true);
    expect(faults.failsNow(() => 0.3)).toBe(false);
  });
});
