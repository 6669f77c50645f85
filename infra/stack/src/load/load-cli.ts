#!/usr/bin/env node
/**
 * `npm run load -- <scenario>`: runs a k6 scenario from load-tests/ against the native stack.
 * Uses a stack that already answers on the gateway (SURGE_GATEWAY_PORT), or starts one for
 * the run and stops it after. k6 is built once from its Go module (native/k6-binary.ts).
 * k6's raw output goes to .surge/load/<scenario>/<time>/; the report, with its figures, to
 * docs/results/<scenario>.md. Exits 1 when the run failed its SLOs or the audit.
 */
import path from 'node:path';
import { assertNetworkFaultsOn, ensureStack, gatewayUrl, repoRoot } from '../chaos/stack-process';
import { ensureK6Binary } from '../native/k6-binary';
import { surgePaths } from '../native/paths';
import { runBlackFriday, runSmoke } from './black-friday';
import { loadSlos, type LoadContext } from './load-context';
import { runOutage } from './outage';
import { runScaling, scaleAvailable } from './scaling';

const log = (line: string) => process.stdout.write(`${line}\n`);

const RUNNERS: Record<string, { summary: string; run(ctx: LoadContext): Promise<boolean> }> = {
  smoke: { summary: 'one user, every public endpoint once, a check on every answer', run: runSmoke },
  'black-friday': {
    summary: 'baseline, ramp, spike, plateau, cool-down; SLOs per group; the auditor at the end',
    run: runBlackFriday,
  },
  outage: { summary: 'steady load while the chaos scenarios run one after another', run: runOutage },
  scaling: {
    summary: 'highest sustainable rate for 1, 2 and 4 instances (needs `npm run stack -- scale`)',
    run: runScaling,
  },
};

async function main(): Promise<void> {
  const [name] = process.argv.slice(2);
  const runner = name ? RUNNERS[name] : undefined;
  if (!runner) {
    const lines = Object.entries(RUNNERS).map(([key, value]) => `  ${key.padEnd(13)} ${value.summary}`);
    process.stderr.write(
      `${name ? `unknown scenario "${name}"\n\n` : ''}usage: npm run load -- <scenario>\n${lines.join('\n')}\n`,
    );
    process.exit(name ? 2 : 0);
  }
  const ctx: LoadContext = {
    repoRoot,
    k6: await ensureK6Binary({ log }),
    gateway: gatewayUrl(),
    log,
    resultsDir: path.join(
      surgePaths().stateDir,
      'load',
      name!,
      new Date().toISOString().replace(/[:.]/g, '-'),
    ),
    parameters: Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] => entry[0].startsWith('LOAD_') && !!entry[1],
      ),
    ),
    slos: loadSlos(repoRoot),
  };
  // Fail before starting anything when the scaling run cannot work on this checkout.
  if (name === 'scaling' && !scaleAvailable(ctx)) await runScaling(ctx);
  // The outage run includes order-db-partition, which needs Toxiproxy between services and
  // their dependencies; the other runs measure the stack without that extra hop.
  const stack = await ensureStack(log, 'load', { networkFaults: name === 'outage' });
  if (!stack && name === 'outage') assertNetworkFaultsOn();
  let passed = false;
  try {
    log(`[load] ${name} against ${ctx.gateway}; k6 output in ${ctx.resultsDir}`);
    passed = await runner.run(ctx);
  } finally {
    if (stack) await stack.interrupt();
  }
  log(`[load] ${name}: ${passed ? 'passed' : 'FAILED'}`);
  if (!passed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`[load] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
