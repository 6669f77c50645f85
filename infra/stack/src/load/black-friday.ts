import { formatReport } from '../audit/run-audit';
import { audit, numberParam, runToEnd, type LoadContext } from './load-context';
import { analyze, sloTable, timeSeriesFigures, writeReport } from './report';

/** `npm run load -- smoke`: one user, every public endpoint once; passes when every check passed. */
export async function runSmoke(ctx: LoadContext): Promise<boolean> {
  const outcome = await runToEnd(ctx, 'smoke');
  const { slos } = analyze(outcome.points, ctx.slos);
  const { passes, fails } = outcome.checks;
  ctx.log(`[load] smoke: ${outcome.points.length} requests; k6 ${outcome.verdict}\n${sloTable(slos)}`);
  ctx.log(`[load] smoke: ${passes + fails} checks, ${fails} failed`);
  return outcome.code === 0 && fails === 0 && passes > 0;
}

/**
 * `npm run load -- black-friday`: the Black Friday morning, then the auditor, then the report.
 * Fails when a group missed its SLO (k6's thresholds) or the audit found a violation.
 */
export async function runBlackFriday(ctx: LoadContext): Promise<boolean> {
  const outcome = await runToEnd(ctx, 'black-friday');
  const report = await audit(ctx);
  ctx.log(formatReport(report));
  const { buckets, slos } = analyze(outcome.points, ctx.slos);
  const scale = numberParam('LOAD_DURATION_SCALE', 1);
  const file = writeReport({
    repoRoot: ctx.repoRoot,
    scenario: 'black-friday',
    title: 'Black Friday morning',
    ...(scale < 1
      ? {
          caveat: `Short pipeline check (LOAD_DURATION_SCALE=${scale}) on a shared machine: it proves the pipeline, its numbers are not results.`,
        }
      : {}),
    summary:
      'Arrivals per second through the gateway: a baseline, a ramp to 3x, a spike to LOAD_SPIKE_FACTOR x the baseline, a plateau at 3x and a cool-down; 75% browsing, 10% search, 10% cart, 5% checkout, with logins and token refreshes. Each group has SLO thresholds (docs/load-testing.md); the auditor checks money, stock and notifications afterwards.',
    command: 'npm run load -- black-friday',
    parameters: ctx.parameters,
    k6Exit: outcome.verdict,
    slos,
    audit: report,
    figures: await timeSeriesFigures(buckets),
  });
  ctx.log(`[load] report: ${file}`);
  return outcome.code === 0 && report.ok;
}
