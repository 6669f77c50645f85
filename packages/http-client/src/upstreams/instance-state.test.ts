import type { EjectionPolicy } from './ejection-policy';
import { InstanceState, type HealthCheckPolicy } from './instance-state';

const health: HealthCheckPolicy = { unhealthyThreshold: 3, healthyThreshold: 2 };
const ejection: EjectionPolicy = {
  consecutiveFailures: 3,
  baseMs: 1_000,
  maxMs: 8_000,
  maxEjectedPercent: 50,
};
const trusted = () => new InstanceState(health, ejection, true);

describe('active health checks', () => {
  it('take an instance out after three failed probes in a row, not before', () => {
    const state = trusted();

    const transitions = [false, false, false].map((passed) => state.recordProbe(passed));

    expect(transitions).toEqual([undefined, undefined, 'became-unhealthy']);
    expect(state.condition(0)).toBe('unhealthy');
  });

  it('forgive a failed probe that a passed one follows', () => {
    const state = trusted();

    for (const passed of [false, false, true, false, false]) state.recordProbe(passed);

    expect(state.condition(0)).toBe('healthy');
  });

  it('bring an instance back after two passed probes in a row', () => {
    const state = trusted();
    for (let i = 0; i < 3; i += 1) state.recordProbe(false);

    const transitions = [true, false, true, true].map((passed) => state.recordProbe(passed));

    expect(transitions).toEqual([undefined, undefined, undefined, 'became-healthy']);
    expect(state.condition(0)).toBe('healthy');
  });

  it('keep an instance discovered while running out until it passes its checks', () => {
    const state = new InstanceState(health, ejection, false);

    expect(state.condition(0)).toBe('unhealthy');
    state.recordProbe(true);
    expect(state.recordProbe(true)).toBe('became-healthy');
  });
});

describe('passive ejection', () => {
  it('is due after three failed requests in a row', () => {
    const state = trusted();

    expect([1, 2, 3].map(() => state.recordRequestFailure())).toEqual([false, false, true]);
  });

  it('starts counting again after any answer', () => {
    const state = trusted();
    state.recordRequestFailure();
    state.recordRequestFailure();

    state.recordRequestSuccess();

    expect(state.recordRequestFailure()).toBe(false);
  });

  it('keeps the instance out for the ejection time, then readmits it by itself', () => {
    const state = trusted();

    const durationMs = state.eject(10_000);

    expect(durationMs).toBe(1_000);
    expect(state.condition(10_999)).toBe('ejected');
    expect(state.condition(11_000)).toBe('healthy');
  });

  it('doubles the ejection time for an instance that fails again soon, up to the maximum', () => {
    const state = trusted();
    let now = 0;

    const durations = [1, 2, 3, 4, 5].map(() => {
      const durationMs = state.eject(now);
      now += durationMs + 100;
      return durationMs;
    });

    expect(durations).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('starts from the base again after a maximum ejection time without trouble', () => {
    const state = trusted();
    state.eject(0);
    state.eject(2_000);

    expect(state.eject(4_000 + 8_000)).toBe(1_000);
  });

  it('needs a fresh streak of failures after an ejection', () => {
    const state = trusted();
    state.recordRequestFailure();
    state.recordRequestFailure();
    state.recordRequestFailure();
    state.eject(0);

    expect(state.recordRequestFailure()).toBe(false);
  });

  it('reports failing probes before an ejection, since they say more', () => {
    const state = trusted();
    state.eject(0);
    for (let i = 0; i < 3; i += 1) state.recordProbe(false);

    expect(state.condition(1)).toBe('unhealthy');
  });
});
