/** The Black Friday goal of issue 13: the stack sustains at least this many times today's peak. */
export const GOAL_FACTOR = 4;

/** The knobs of the capacity search, from BENCH_BF_* (docs/benchmarks.md). */
export interface CapacitySettings {
  /** The first rate tried, visits/s: by default the goal itself, the one step that answers it. */
  startRate: number;
  /** How long each rate is held, seconds. */
  stepSeconds: number;
  /**
   * The first seconds of each step, not judged. Each step is a fresh Locust process whose
   * customers log in on their first cart or checkout visit, so a step opens with a burst
   * of logins (password hashing, slow on purpose) that a crowd already shopping does not
   * make; the warm-up lets it pass, along with cold pools and caches.
   */
  warmupSeconds: number;
  maxSteps: number;
  /** The steps together end within this (stack start and audit come on top). */
  budgetSeconds: number;
  maxRate: number;
  /** The search stops once the best pass and the lowest miss are this close (a share of the pass). */
  resolution: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

/**
 * Reads and checks the knobs; every problem stops the run before the stack starts. The
 * defaults fit about 10 minutes on the 2-core machine: 60 s steps (15 of them warm-up; about 75 s
 * each with the shop's preparation and Locust's start), at most 8 of them within 8 minutes.
 */
export function readCapacitySettings(env: NodeJS.ProcessEnv, todaysRate: number): CapacitySettings {
  const settings: CapacitySettings = {
    // Today's rate, doubling up: a start at the goal that misses by far (every login over
    // its time limit at 80 visits/s on a quiet 2-core machine) leaves a stack too busy to
    // prepare the next step's shop, and a capacity of "below the goal" says nothing.
    startRate: positive(env, 'BENCH_BF_START_RATE', todaysRate),
    stepSeconds: positive(env, 'BENCH_BF_STEP_SECONDS', 60),
    warmupSeconds: positive(env, 'BENCH_BF_WARMUP_SECONDS', 15),
    maxSteps: Math.max(1, Math.floor(positive(env, 'BENCH_BF_MAX_STEPS', 8))),
    budgetSeconds: positive(env, 'BENCH_BF_BUDGET_SECONDS', 480),
    maxRate: positive(env, 'BENCH_BF_MAX_RATE', 2000),
    resolution: positive(env, 'BENCH_BF_RESOLUTION', 0.1),
  };
  const problems: string[] = [];
  if (settings.stepSeconds <= settings.warmupSeconds)
    problems.push(
      `BENCH_BF_STEP_SECONDS (${settings.stepSeconds}) must be longer than BENCH_BF_WARMUP_SECONDS (${settings.warmupSeconds}), which each step leaves unjudged`,
    );
  if (settings.startRate > settings.maxRate)
    problems.push(
      `BENCH_BF_START_RATE (${settings.startRate}) is above BENCH_BF_MAX_RATE (${settings.maxRate})`,
    );
  if (settings.resolution >= 1)
    problems.push(`BENCH_BF_RESOLUTION must be a share under 1, got ${settings.resolution}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return settings;
}
