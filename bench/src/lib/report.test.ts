import { verdict } from './report';

describe('verdict', () => {
  it('says a goal is met, or by how much it was missed in either direction', () => {
    const goal = { statement: 's', unit: '%', target: 35, better: 'higher' as const };
    expect(verdict({ ...goal, measured: 40 })).toBe('met');
    expect(verdict({ ...goal, measured: 7 })).toBe('missed by 28 %: 20% of the target reached');
    expect(verdict({ statement: 's', unit: 'GB', target: 1.5, better: 'lower', measured: 1.8 })).toBe(
      'missed by 0.30 GB: 20% over the target',
    );
  });
});
