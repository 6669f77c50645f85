import fs from 'node:fs';
import path from 'node:path';

/**
 * The defaults of load-tests/black-friday.py (LOAD_BASE_RATE, LOAD_SPIKE_FACTOR): a run
 * of record that sets neither ran with these. A unit test holds them to the locustfile.
 */
export const BLACK_FRIDAY_DEFAULTS = { baseRate: 4, spikeFactor: 5 } as const;

/** "Today's" Black Friday: the peak arrival rate of the run of record, and where it comes from. */
export interface TodaysRate {
  /** Visits per second at the spike: baseline x spike factor. */
  rate: number;
  baseRate: number;
  spikeFactor: number;
  /** When the run of record ran (its "Run at" line), if it says. */
  runAt: string | undefined;
  /** Locust's verdict of that run, if it says: whether the stack met its SLOs at that peak. */
  verdict: string | undefined;
  /** Where the figure came from, for the report. */
  source: string;
}

/**
 * Reads the peak arrival rate of the Black Friday run of record from its report
 * (docs/results/black-friday.md): the command line lists the LOAD_* parameters that were
 * set, and the spike is LOAD_BASE_RATE x LOAD_SPIKE_FACTOR (black-friday.py). Undefined
 * when the report has no command line (it is not a black-friday report).
 */
export function parseTodaysRate(markdown: string, source: string): TodaysRate | undefined {
  const command = /^- Command: (.*)$/m.exec(markdown)?.[1];
  if (!command || !command.includes('black-friday')) return undefined;
  const param = (name: string, fallback: number) => {
    const raw = new RegExp(`\`${name}=([^\`]+)\``).exec(command)?.[1];
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${source}: ${name}=${raw} is not a rate`);
    return value;
  };
  const baseRate = param('LOAD_BASE_RATE', BLACK_FRIDAY_DEFAULTS.baseRate);
  const spikeFactor = param('LOAD_SPIKE_FACTOR', BLACK_FRIDAY_DEFAULTS.spikeFactor);
  return {
    rate: baseRate * spikeFactor,
    baseRate,
    spikeFactor,
    runAt: /^- Run at: (.*)$/m.exec(markdown)?.[1]?.trim(),
    verdict: /^- Locust: (.*)$/m.exec(markdown)?.[1]?.trim(),
    source,
  };
}

/**
 * Today's rate: BENCH_BF_TODAY_RATE when set (a different yardstick, said in the report),
 * else the run of record's peak, else black-friday.py's default peak.
 */
export function readTodaysRate(repoRoot: string, env: NodeJS.ProcessEnv = process.env): TodaysRate {
  const override = env.BENCH_BF_TODAY_RATE;
  if (override !== undefined && override !== '') {
    const rate = Number(override);
    if (!Number.isFinite(rate) || rate <= 0)
      throw new Error(`BENCH_BF_TODAY_RATE must be a positive number, got ${override}`);
    return {
      rate,
      baseRate: rate,
      spikeFactor: 1,
      runAt: undefined,
      verdict: undefined,
      source: 'BENCH_BF_TODAY_RATE',
    };
  }
  const file = path.join(repoRoot, 'docs', 'results', 'black-friday.md');
  const record = fs.existsSync(file)
    ? parseTodaysRate(fs.readFileSync(file, 'utf8'), 'docs/results/black-friday.md')
    : undefined;
  if (record) return record;
  const { baseRate, spikeFactor } = BLACK_FRIDAY_DEFAULTS;
  return {
    rate: baseRate * spikeFactor,
    baseRate,
    spikeFactor,
    runAt: undefined,
    verdict: undefined,
    source: 'the defaults of load-tests/black-friday.py (no run of record in docs/results/black-friday.md)',
  };
}
