import { formatReport } from '../audit/run-audit';
import { findScenario, SCENARIOS, type Scenario, type ScenarioContext } from '../chaos/scenarios';
import { SERVICE_SPECS, urlOf } from '../services/service-specs';
import { audit, k6Env, numberParam, scriptPath, type LoadContext } from './load-context';
import { readRequestPoints } from './k6-points';
import { timeToRecover, type FaultWindow } from './recovery';
import { analyze, timeSeriesFigures, writeReport } from './report';
import { describeExit, startK6 } from './run-k6';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each scenario's fault, one after another, with a quiet gap before the first and after
 * each. Recovery runs even when the wait or the injection failed, so an interrupted run
 * never leaves a service killed or the provider slow.
 */
async function injectOneAfterAnother(
  ctx: LoadContext,
  scenarios: Scenario[],
  gapMs: number,
  faultOverride: number | undefined,
): Promise<FaultWindow[]> {
  const windows: FaultWindow[] = [];
  const providerUrl = urlOf(SERVICE_SPECS.find((spec) => spec.name === 'payment-provider')!);
  await sleep(gapMs);
  for (const scenario of scenarios) {
    const chaos: ScenarioContext = {
      gateway: ctx.gateway,
      providerUrl,
      faultSeconds: faultOverride ?? scenario.defaultFaultSeconds,
    };
    // A scenario that changes the topology first (product-replica-kill scales product to
    // three) does so outside its fault window, and puts it back however the window ended.
    if (scenario.prepare) await scenario.prepare(chaos);
    ctx.log(`[load] outage: injecting ${scenario.name}: ${scenario.description}`);
    const from = Date.now();
    try {
      await scenario.inject(chaos);
      await sleep(chaos.faultSeconds * 1000);
    } finally {
      try {
        await scenario.recover(chaos);
      } finally {
        if (scenario.cleanup) await scenario.cleanup(chaos);
      }
    }
    windows.push({ scenario: scenario.name, from, to: Date.now() });
    ctx.log(`[load] outage: ${scenario.name} recovered after ${((Date.now() - from) / 1000).toFixed(0)} s`);
    await sleep(gapMs);
  }
  return windows;
}

/**
 * `npm run load -- outage`: steady traffic from k6 while the chaos scenarios' own inject and
 * recover run one after another, each fault window recorded with its timestamps; then the
 * auditor, and a report with the windows shaded and each fault's time to recover.
 *   LOAD_OUTAGE_SCENARIOS  comma-separated chaos scenarios (default: all of them)
 *   LOAD_FAULT_SECONDS     overrides every scenario's fault window
 *   LOAD_OUTAGE_GAP_SECONDS  quiet time after each recovery (default 30), and before the first fault
 */
export async function runOutage(ctx: LoadContext): Promise<boolean> {
  const names = (process.env.LOAD_OUTAGE_SCENARIOS ?? SCENARIOS.map((s) => s.name).join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const scenarios = names.map(findScenario);
  const gapMs = numberParam('LOAD_OUTAGE_GAP_SECONDS', 30) * 1000;
  const faultOverride = process.env.LOAD_FAULT_SECONDS ? numberParam('LOAD_FAULT_SECONDS', 0) : undefined;
  const run = startK6({
    k6: ctx.k6,
    script: scriptPath(ctx, 'outage'),
    resultsDir: ctx.resultsDir,
    env: k6Env(ctx),
    log: ctx.log,
  });
  let windows: FaultWindow[] = [];
  try {
    await Promise.race([
      run.trafficStarted,
      run.exited.then((code) =>
        Promise.reject(new Error(`k6 ended before traffic started (${describeExit(code)})`)),
      ),
    ]);
    windows = await injectOneAfterAnother(ctx, scenarios, gapMs, faultOverride);
  } finally {
    run.interrupt();
  }
  const code = await run.exited;
  const report = await audit(ctx);
  ctx.log(formatReport(report));
  const points = await readRequestPoints(run.files.points);
  const { buckets, slos } = analyze(points, ctx.slos);
  const bucketSeconds = buckets.length > 1 ? buckets[1]!.t - buckets[0]!.t : 1;
  const bar = {
    maxErrorRate: Math.max(...Object.values(ctx.slos).map((slo) => slo.maxErrorRate)),
    maxP95Ms: Math.max(...Object.values(ctx.slos).map((slo) => slo.p95Ms)),
    stableBuckets: Math.max(1, Math.ceil(5 / bucketSeconds)),
  };
  const rows = windows.map((window, index) => {
    const recovered = timeToRecover(buckets, window, bar, windows[index + 1]?.from);
    const during = points.filter((p) => p.flow !== 'other' && p.at >= window.from && p.at <= window.to);
    const failed = during.filter((p) => p.failed).length;
    return `| ${window.scenario} | ${((window.to - window.from) / 1000).toFixed(0)} s | ${during.length} | ${failed} | ${recovered === undefined ? 'not within the gap' : `${recovered} s`} |`;
  });
  const recovery = [
    '## Faults and time to recover',
    '',
    `Time to recover: from the end of the fault to the first ${bar.stableBuckets * bucketSeconds} s in a row with at most ${(bar.maxErrorRate * 100).toFixed(0)}% failed requests and p95 under ${bar.maxP95Ms} ms.`,
    '',
    '| fault | window | requests during it | failed | time to recover |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const short = faultOverride !== undefined || names.length < SCENARIOS.length;
  const file = writeReport({
    repoRoot: ctx.repoRoot,
    scenario: 'outage',
    title: 'Outages under steady load',
    ...(short
      ? {
          caveat: `Short pipeline check (${names.join(', ')}${faultOverride !== undefined ? `, fault windows of ${faultOverride} s` : ''}) on a shared machine: it proves the pipeline, its numbers are not results.`,
        }
      : {}),
    summary:
      'Steady arrivals in the Black Friday mix while the chaos scenarios (docs/chaos.md) run one after another, each injected and recovered by the same code as `npm run chaos`. Shaded bands are the fault windows. During a fault some answers are expected to fail (503 with Retry-After, for instance); the SLO table covers the whole run, faults included, so it is context here, not a verdict.',
    command: 'npm run load -- outage',
    parameters: ctx.parameters,
    k6Exit: describeExit(code),
    slos,
    audit: report,
    sections: [recovery],
    figures: await timeSeriesFigures(buckets, windows),
  });
  ctx.log(`[load] report: ${file}`);
  return report.ok;
}
