import { capacityBracket, planNextStep } from './capacity-search';

const search = { startRate: 80, resolution: 0.1, minRate: 1, maxRate: 2000 };
const roomy = { maxSteps: 10, budgetMs: 600_000 };
const early = { elapsedMs: 0, nextStepMs: 60_000 };

describe('planNextStep', () => {
  it('starts at the start rate, even when the budget would allow no step', () => {
    expect(
      planNextStep([], search, { maxSteps: 1, budgetMs: 1 }, { elapsedMs: 0, nextStepMs: 60_000 }),
    ).toEqual({
      kind: 'step',
      rate: 80,
    });
  });

  it('doubles while every step passes, then bisects between the best pass and the lowest miss', () => {
    expect(planNextStep([{ rate: 80, passed: true }], search, roomy, early)).toEqual({
      kind: 'step',
      rate: 160,
    });
    const bracketed = [
      { rate: 80, passed: true },
      { rate: 160, passed: false },
    ];
    expect(planNextStep(bracketed, search, roomy, early)).toEqual({ kind: 'step', rate: 120 });
    expect(planNextStep([...bracketed, { rate: 120, passed: false }], search, roomy, early)).toEqual({
      kind: 'step',
      rate: 100,
    });
  });

  it('halves while even the start misses an SLO', () => {
    expect(planNextStep([{ rate: 80, passed: false }], search, roomy, early)).toEqual({
      kind: 'step',
      rate: 40,
    });
  });

  it('ends as converged once the best pass and the lowest miss are within the resolution', () => {
    const steps = [
      { rate: 80, passed: true },
      { rate: 160, passed: false },
      { rate: 120, passed: true },
      { rate: 140, passed: true },
      { rate: 150, passed: false },
    ];
    expect(planNextStep(steps, search, roomy, early)).toEqual({ kind: 'done', reason: 'converged' });
  });

  it('ends when the step count runs out, whatever the search still wants', () => {
    const steps = [
      { rate: 80, passed: true },
      { rate: 160, passed: true },
    ];
    expect(planNextStep(steps, search, { maxSteps: 2, budgetMs: 600_000 }, early)).toEqual({
      kind: 'done',
      reason: 'max-steps',
    });
  });

  it('ends when the next step would outlast the time budget', () => {
    const steps = [{ rate: 80, passed: true }];
    expect(planNextStep(steps, search, roomy, { elapsedMs: 550_000, nextStepMs: 60_000 })).toEqual({
      kind: 'done',
      reason: 'budget',
    });
    expect(planNextStep(steps, search, roomy, { elapsedMs: 540_000, nextStepMs: 60_000 })).toEqual({
      kind: 'step',
      rate: 160,
    });
  });
});

describe('capacityBracket', () => {
  it('gives the highest pass and the lowest miss above it', () => {
    expect(
      capacityBracket([
        { rate: 80, passed: true },
        { rate: 160, passed: false },
        { rate: 120, passed: true },
        { rate: 140, passed: false },
      ]),
    ).toEqual({ best: 120, lowestMiss: 140 });
  });

  it('ignores a noisy miss below the best pass', () => {
    expect(
      capacityBracket([
        { rate: 100, passed: false },
        { rate: 120, passed: true },
      ]),
    ).toEqual({ best: 120, lowestMiss: undefined });
  });

  it('says 0 when no step passed', () => {
    expect(capacityBracket([{ rate: 80, passed: false }])).toEqual({ best: 0, lowestMiss: 80 });
  });
});
