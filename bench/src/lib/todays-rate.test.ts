import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot } from '@surge/stack/native';
import { BLACK_FRIDAY_DEFAULTS, parseTodaysRate, readTodaysRate } from './todays-rate';
import { readCapacitySettings } from './capacity-settings';

const RECORD = [
  '# Black Friday morning',
  '',
  '- Command: `npm run load -- black-friday`',
  '- Run at: 2026-12-07T11:00:08.989Z',
  '- Locust: failed: an SLO or the dropped-visits limit was missed',
].join('\n');

describe('parseTodaysRate', () => {
  it("takes the spike of black-friday.py's defaults when the run of record set no rate", () => {
    expect(parseTodaysRate(RECORD, 'record')).toMatchObject({
      rate: 20,
      baseRate: 4,
      spikeFactor: 5,
      runAt: '2026-12-07T11:00:08.989Z',
      verdict: 'failed: an SLO or the dropped-visits limit was missed',
    });
  });

  it('takes the base rate and the spike factor the run of record set', () => {
    const record = RECORD.replace(
      '`npm run load -- black-friday`',
      '`npm run load -- black-friday` with `LOAD_BASE_RATE=6`, `LOAD_SPIKE_FACTOR=4`',
    );
    expect(parseTodaysRate(record, 'record')?.rate).toBe(24);
  });

  it('refuses a report of another scenario', () => {
    expect(parseTodaysRate(RECORD.replace('black-friday`', 'outage`'), 'record')).toBeUndefined();
  });

  it("holds the defaults to load-tests/black-friday.py's", () => {
    const locustfile = fs.readFileSync(path.join(findRepoRoot(), 'load-tests', 'black-friday.py'), 'utf8');
    expect(locustfile).toContain(`number("LOAD_BASE_RATE", ${BLACK_FRIDAY_DEFAULTS.baseRate})`);
    expect(locustfile).toContain(`number("LOAD_SPIKE_FACTOR", ${BLACK_FRIDAY_DEFAULTS.spikeFactor})`);
  });
});

describe('readTodaysRate', () => {
  it('uses BENCH_BF_TODAY_RATE when set, and the defaults without a run of record', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'todays-rate-'));
    expect(readTodaysRate(empty, { BENCH_BF_TODAY_RATE: '30' }).rate).toBe(30);
    expect(readTodaysRate(empty, {}).rate).toBe(20);
    expect(() => readTodaysRate(empty, { BENCH_BF_TODAY_RATE: 'fast' })).toThrow(/BENCH_BF_TODAY_RATE/);
  });
});

describe('readCapacitySettings', () => {
  it("starts at today's rate by default, and doubles up from there", () => {
    expect(readCapacitySettings({}, 20)).toMatchObject({
      startRate: 20,
      stepSeconds: 60,
      warmupSeconds: 15,
      maxSteps: 8,
    });
  });

  it('reports every bad knob at once', () => {
    expect(() =>
      readCapacitySettings({ BENCH_BF_STEP_SECONDS: '10', BENCH_BF_START_RATE: '3000' }, 20),
    ).toThrow(/BENCH_BF_STEP_SECONDS.*BENCH_BF_START_RATE/);
    expect(() => readCapacitySettings({ BENCH_BF_MAX_STEPS: 'many' }, 20)).toThrow(/BENCH_BF_MAX_STEPS/);
  });
});
