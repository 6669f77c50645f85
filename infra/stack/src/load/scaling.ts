import { spawnSync } from 'node:child_process';
import { scalingChart } from './charts';
import { numberParam, runToEnd, type LoadContext } from './load-context';
import { highestPassing, nextRate, scalingEfficiency, type RateStep } from './rate-search';
import { arrivalsLine, writeReport } from './report';

/** `npm run stack -- <args>` in a child process, with our environment (ports of this stack). */
function stack(ctx: LoadContext, args: string[]) {
  // tsx as a loader, not its CLI (whose signal relay can SIGKILL a busy child: stack-process.ts).
  return spawnSync(process.execPath, ['--import', 'tsx', 'infra/stack/src/cli.ts', ...args], {
    cwd: ctx.repoRoot,
    env: process.env,
    encoding: 'utf8',
  });
}

/** Whether this checkout's stack CLI has the `scale` verb the scaling run needs. */
export function scaleAvailable(ctx: LoadContext): boolean {
  const usage = stack(ctx, []);
  return /^\s+scale\s/m.test(`${usage.stdout}${usage.stderr}`);
}

interface InstanceResult {
  instances: number;
  rate: number;
  requestsPerSecond: number;
  /** Arrivals started over those asked, at the highest passing rate. */
  achieved: number | undefined;
  steps: RateStep[];
}

/**
 * `npm run load -- scaling`: for 1, 2 and 4 instances of the service under test, each under the
 * same CPU quota (a fixed-size machine), the highest arrival rate that still meets the
 * browse and search SLOs, found by doubling then bisecting (rate-search.ts). Reports the
 * throughput per instance count and the scaling efficiency.
 *   LOAD_SCALING_SERVICE    the service under test (default product)
 *   LOAD_SCALING_INSTANCES  default 1,2,4
 *   LOAD_SCALING_CPUS       CPU quota of each instance, in cores (default 0.25)
 *   LOAD_SCALING_START_RATE first rate tried, visits/s (default 8); LOAD_STEP_SECONDS per step (default 60)
 */
export async function runScaling(ctx: LoadContext): Promise<boolean> {
  if (!scaleAvailable(ctx)) {
    throw new Error(
      'the scaling run needs `npm run stack -- scale <service>=<N> --cpus <quota>`, which this checkout does not have yet; run it on a branch where `npm run stack` lists `scale`',
    );
  }
  const service = process.env.LOAD_SCALING_SERVICE ?? 'product';
  const cpus = String(numberParam('LOAD_SCALING_CPUS', 0.25));
  const counts = (process.env.LOAD_SCALING_INSTANCES ?? '1,2,4').split(',').map(Number);
  const baseSearch = {
    startRate: numberParam('LOAD_SCALING_START_RATE', 8),
    resolution: 0.1,
    minRate: 1,
    maxRate: numberParam('LOAD_SCALING_MAX_RATE', 2000),
  };
  const stepSeconds = numberParam('LOAD_STEP_SECONDS', 60);
  const results: InstanceResult[] = [];
  try {
    for (const instances of counts) {
      scaleTo(ctx, service, instances, cpus);
      // More instances sustain at least what fewer did: start the search there.
      const search = { ...baseSearch, startRate: results.at(-1)?.rate || baseSearch.startRate };
      const steps: RateStep[] = [];
      const throughput = new Map<number, { requestsPerSecond: number; achieved: number | undefined }>();
      for (let rate = nextRate(steps, search); rate !== undefined; rate = nextRate(steps, search)) {
        const outcome = await runToEnd(ctx, 'scaling', {
          subdir: `${service}-${instances}/rate-${rate}`,
          env: { LOAD_RATE: String(rate), LOAD_STEP_SECONDS: String(stepSeconds) },
          quiet: true,
        });
        const passed = outcome.code === 0;
        steps.push({ rate, passed });
        const traffic = outcome.points.filter((point) => point.flow !== 'other');
        throughput.set(rate, {
          requestsPerSecond: traffic.length / stepSeconds,
          achieved: outcome.arrivals.achieved,
        });
        ctx.log(
          `[load] scaling: ${service} x${instances} at ${rate} visits/s: ${outcome.verdict}; visits ${arrivalsLine(outcome.arrivals)}`,
        );
        if (outcome.code !== 0 && outcome.code !== 3)
          throw new Error(`Locust failed at ${rate} visits/s: ${outcome.verdict}`);
      }
      const rate = highestPassing(steps);
      const best = throughput.get(rate);
      results.push({
        instances,
        rate,
        requestsPerSecond: best?.requestsPerSecond ?? 0,
        achieved: best?.achieved,
        steps,
      });
    }
  } finally {
    scaleTo(ctx, service, 1, cpus);
  }
  await writeScalingReport(ctx, service, cpus, stepSeconds, results);
  return results.every((result) => result.rate > 0);
}

function scaleTo(ctx: LoadContext, service: string, instances: number, cpus: string): void {
  ctx.log(`[load] scaling: npm run stack -- scale ${service}=${instances} --cpus ${cpus}`);
  const result = stack(ctx, ['scale', `${service}=${instances}`, '--cpus', cpus]);
  if (result.status !== 0)
    throw new Error(
      `npm run stack -- scale ${service}=${instances} --cpus ${cpus} failed:\n${result.stderr || result.stdout}`,
    );
}

async function writeScalingReport(
  ctx: LoadContext,
  service: string,
  cpus: string,
  stepSeconds: number,
  results: InstanceResult[],
): Promise<void> {
  const one = results.find((result) => result.instances === 1)?.rate ?? 0;
  const table = [
    '## Throughput per instance count',
    '',
    '| instances | highest rate meeting the SLO (visits/s) | visits started / asked at that rate | requests/s at that rate | scaling efficiency | steps tried (visits/s: pass/fail) |',
    '|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.instances} | ${r.rate} | ${r.achieved === undefined ? 'n/a' : `${(r.achieved * 100).toFixed(1)}%`} | ${r.requestsPerSecond.toFixed(1)} | ${scalingEfficiency(one, r.instances, r.rate).toFixed(2)} | ${r.steps.map((s) => `${s.rate}: ${s.passed ? 'pass' : 'fail'}`).join(', ')} |`,
    ),
  ].join('\n');
  const file = writeReport({
    repoRoot: ctx.repoRoot,
    scenario: 'scaling',
    title: `Scaling ${service}: 1, 2, 4 instances`,
    summary: `Each instance of ${service} runs under a CPU quota of ${cpus} cores, so an instance is a fixed-size machine. For each instance count the arrival rate of browsing and search visits (the traffic ${service} serves) is doubled, then bisected, each step held for ${stepSeconds} s, until the highest rate that still meets the browse and search SLOs, with at most 2% of the arrivals dropped, is known (within 10%). Scaling efficiency = throughput at N / (N x throughput at 1).`,
    command: 'npm run load -- scaling',
    parameters: ctx.parameters,
    generator: ctx.generator,
    sections: [table],
    figures: [
      {
        file: 'throughput.svg',
        title: 'Throughput against instances',
        svg: await scalingChart(results.map((r) => ({ instances: r.instances, throughput: r.rate }))),
      },
    ],
  });
  ctx.log(`[load] report: ${file}`);
}
