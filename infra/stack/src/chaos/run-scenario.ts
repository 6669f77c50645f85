import { runAudit } from '../audit/run-audit';
import { defaultAdminUrl } from '../native/postgres';
import { portFromEnv } from '../native/daemon';
import { databaseSuffix } from '../services/stack-context';
import { SERVICE_SPECS, adminUrlOf, urlOf } from '../services/service-specs';
import { prepareShop } from './prepare-shop';
import { summarize, writeScenarioReport, type ScenarioReport } from './report';
import type { Scenario, ScenarioContext } from './scenarios';
import { runTraffic } from './traffic';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunOptions {
  log: (line: string) => void;
  ratePerSecond?: number;
  /** Overrides every scenario's fault window (shorter runs in the test suite). */
  faultSeconds?: number;
  settleSeconds?: number;
  repoRoot: string;
  /** Write docs/results/chaos/<name>.*; the test suite's shortened runs do not. */
  writeResults?: boolean;
}

/**
 * One scenario against the running stack: steady traffic, the fault, recovery, then the
 * system is given time to settle and audited. Writes docs/results/chaos/<name>.json/.txt.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioReport> {
  const spec = (name: string) => SERVICE_SPECS.find((entry) => entry.name === name)!;
  const gateway = urlOf(spec('gateway'));
  const ctx: ScenarioContext = {
    gateway,
    providerAdminUrl: adminUrlOf(spec('payment-provider')),
    faultSeconds: options.faultSeconds ?? scenario.defaultFaultSeconds,
  };
  if (scenario.prepare) {
    options.log(`[chaos] ${scenario.name}: preparing the topology`);
    await scenario.prepare(ctx);
  }
  try {
    return await runPrepared(scenario, ctx, options);
  } finally {
    if (scenario.cleanup) {
      options.log(`[chaos] ${scenario.name}: restoring the topology`);
      await scenario.cleanup(ctx);
    }
  }
}

async function runPrepared(
  scenario: Scenario,
  ctx: ScenarioContext,
  options: RunOptions,
): Promise<ScenarioReport> {
  const { gateway } = ctx;
  options.log(`[chaos] ${scenario.name}: preparing customers and stock`);
  const shop = await prepareShop(gateway);
  const traffic = runTraffic({
    gateway,
    ...shop,
    ratePerSecond: options.ratePerSecond ?? 20,
    timeoutMs: 10_000,
  });
  await sleep(3_000);
  options.log(`[chaos] ${scenario.name}: injecting: ${scenario.description}`);
  const from = Date.now();
  await scenario.inject(ctx);
  await sleep(ctx.faultSeconds * 1000);
  options.log(`[chaos] ${scenario.name}: recovering`);
  await scenario.recover(ctx);
  const to = Date.now();
  await sleep(8_000);
  const samples = await traffic.stop();
  options.log(`[chaos] ${scenario.name}: traffic stopped (${samples.length} requests); auditing`);
  const adminUrl =
    process.env.SURGE_PG_ADMIN_URL ?? defaultAdminUrl(portFromEnv(process.env, 'SURGE_PG_PORT', 5432));
  const audit = await runAudit({
    adminUrl,
    settleSeconds: options.settleSeconds ?? 120,
    databaseSuffix: databaseSuffix(process.env),
  });
  const report = summarize(
    {
      scenario: scenario.name,
      description: scenario.description,
      clientView: scenario.clientView,
      allowed: scenario.allowed,
    },
    samples,
    { from, to },
    audit,
  );
  if (options.writeResults !== false) writeScenarioReport(options.repoRoot, report);
  return report;
}
