#!/usr/bin/env node
/**
 * `npm run chaos -- <scenario>|all|list`: runs chaos scenarios against the native stack. Uses
 * a stack that already answers on the gateway port, or starts one for the run (and stops
 * it after). Results land in docs/results/chaos/. Exits 1 when a scenario ends with
 * invariant violations or with answers the contract does not allow.
 */
import { assertNetworkFaultsOn, ensureStack, repoRoot } from './stack-process';
import { formatScenario } from './report';
import { findScenario, SCENARIOS } from './scenarios';
import { runScenario } from './run-scenario';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const [name] = process.argv.slice(2);
  if (!name || name === 'list') {
    for (const scenario of SCENARIOS) log(`${scenario.name.padEnd(22)} ${scenario.description}`);
    return;
  }
  const scenarios = name === 'all' ? SCENARIOS : [findScenario(name)];
  const networkFaults = scenarios.some((scenario) => scenario.needsNetworkFaults);
  const stack = await ensureStack(log, 'chaos', { networkFaults });
  if (!stack && networkFaults) assertNetworkFaultsOn();
  let failed = false;
  try {
    const faultSeconds = process.env.CHAOS_FAULT_SECONDS
      ? Number(process.env.CHAOS_FAULT_SECONDS)
      : undefined;
    for (const scenario of scenarios) {
      const report = await runScenario(scenario, {
        log,
        repoRoot,
        ...(faultSeconds === undefined ? {} : { faultSeconds }),
      });
      log(`\n${formatScenario(report)}\n`);
      if (!report.audit.ok || report.unexpected > 0) failed = true;
    }
  } finally {
    if (stack) await stack.interrupt();
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`[chaos] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
