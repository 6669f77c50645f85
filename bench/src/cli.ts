/**
 * Side-by-side benchmarks, one command each:
 *
 *   npm run bench -- gateway-vs-nginx | checkout-vs-pgbench | event-latency | footprint | storefront-pages | generator-cost | login-cost | service-reads | black-friday-capacity | all
 *
 * Each writes docs/results/bench-<name>.md and .json with its figures, the goal, the
 * machine and the exact command. Knobs: BENCH_SECONDS, BENCH_WARMUP_SECONDS,
 * BENCH_CONNECTIONS, BENCH_SERVER_CPU, BENCH_CLIENT_CPU (see docs/benchmarks.md).
 */
import { blackFridayCapacity } from './benches/black-friday-capacity';
import { checkoutVsPgbench } from './benches/checkout-vs-pgbench';
import { eventLatency } from './benches/event-latency';
import { footprint } from './benches/footprint';
import { gatewayVsNginx } from './benches/gateway-vs-nginx';
import { serviceReads } from './benches/service-reads';
import { storefrontPages } from './benches/storefront-pages';
import { generatorCost } from './benches/generator-cost';
import { loginCost } from './benches/login-cost';
import { stopAll } from './lib/processes';
import { type BenchReport, verdict, writeReport } from './lib/report';
import { readSettings, type BenchSettings } from './lib/settings';
import { checkoutAb } from './ab/checkout-ab';
import { gatewayAb } from './ab/gateway-ab';
import { serviceReadsAb } from './ab/service-reads-ab';

const BENCHES: Record<string, (settings: BenchSettings) => Promise<BenchReport>> = {
  'gateway-vs-nginx': gatewayVsNginx,
  'checkout-vs-pgbench': checkoutVsPgbench,
  'event-latency': eventLatency,
  footprint,
  'storefront-pages': storefrontPages,
  'generator-cost': generatorCost,
  'login-cost': loginCost,
  'service-reads': serviceReads,
  'black-friday-capacity': blackFridayCapacity,
};

async function main(): Promise<void> {
  const wanted = process.argv[2];
  // Not a benchmark of record: two builds side by side (docs/benchmarks.md).
  if (wanted === 'checkout-ab') return checkoutAb(process.argv.slice(3));
  if (wanted === 'gateway-ab') return gatewayAb(process.argv.slice(3));
  if (wanted === 'service-reads-ab') return serviceReadsAb(process.argv.slice(3));
  const names = wanted === 'all' ? Object.keys(BENCHES) : wanted && BENCHES[wanted] ? [wanted] : null;
  if (!names) {
    console.error(
      `usage: npm run bench -- <${[...Object.keys(BENCHES), 'all', 'checkout-ab', 'gateway-ab', 'service-reads-ab'].join('|')}>`,
    );
    process.exit(2);
  }
  const settings = readSettings();
  // Ctrl-C: stop what this run started (the finally below), then exit.
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    await runAll(names, settings);
  } finally {
    await stopAll();
  }
}

/** Runs each benchmark in turn; one that fails is reported and the others still run. */
async function runAll(names: string[], settings: BenchSettings): Promise<void> {
  const failed: string[] = [];
  for (const name of names) {
    console.log(`[bench] ${name}: starting`);
    try {
      const report = await BENCHES[name]!(settings);
      const files = writeReport(report);
      for (const goal of report.goals) console.log(`[bench] ${name}: ${goal.statement}: ${verdict(goal)}`);
      console.log(`[bench] ${name}: wrote ${files.markdown}`);
    } catch (error) {
      failed.push(name);
      console.error(
        `[bench] ${name} failed:`,
        error instanceof Error ? (error.stack ?? error.message) : error,
      );
    } finally {
      // Whatever a failed benchmark left running must not skew the next one.
      await stopAll();
    }
  }
  if (failed.length > 0) throw new Error(`failed: ${failed.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
