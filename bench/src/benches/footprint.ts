import { ONE_CLIENT_ADDRESS_LIMITS, prepareShop, runTraffic } from '@surge/stack/chaos';
import { surgePaths } from '@surge/stack/native';
import { measureStack, type StackMemory } from '../lib/memory';
import { sleep } from '../lib/processes';
import { fmt, table, type BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import { startStackAsNpmStart } from '../lib/stack';
import { makeWorkDir } from '../lib/workdir';

const GOAL_GB = 1.5;
/** The OpenTelemetry demo's documented footprint for its compose stack, the yardstick. */
const OTEL_DEMO_GB = 6;

/**
 * The whole stack as `npm start` runs it: time to ready, then the memory of every
 * process (launcher, services, PostgreSQL and its backends, Redis, Kafka, Mailpit,
 * Jaeger), idle and under the chaos runner's shop traffic.
 */
export async function footprint(settings: BenchSettings): Promise<BenchReport> {
  const dir = makeWorkDir('footprint');
  const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 15);
  const rate = Number(process.env.BENCH_FOOTPRINT_RATE ?? 50);
  const paths = surgePaths();
  // The admin's login and four customers' sign-ups and logins, from one address.
  const stack = await startStackAsNpmStart(dir, { env: ONE_CLIENT_ADDRESS_LIMITS });
  try {
    process.stdout.write(`[bench] footprint: stack up in ${fmt(stack.readyMs / 1000)} s\n`);
    await sleep(idleSeconds * 1000);
    const idle = measureStack(stack.pid, paths);
    // Four customers (the limit is lifted above, as the benches before this one in `all` used it).
    const shop = await prepareShop(stack.gatewayUrl, 4, 5);
    const traffic = runTraffic({ ...shop, gateway: stack.gatewayUrl, ratePerSecond: rate, timeoutMs: 5_000 });
    // The peak of a few samples under load: memory grows as pools and caches fill.
    let loaded = measureStack(stack.pid, paths);
    const samples = Math.max(1, Math.round(settings.seconds / 5));
    for (let i = 0; i < samples; i += 1) {
      await sleep((settings.seconds * 1000) / samples);
      const now = measureStack(stack.pid, paths);
      if (now.pssMb > loaded.pssMb) loaded = now;
    }
    const sent = await traffic.stop();
    const ok = sent.filter((s) => s.status >= 200 && s.status < 300).length;
    // 0: no answer within the client's 5 s timeout.
    const statuses: Record<string, number> = {};
    for (const s of sent) statuses[`${s.kind} ${s.status}`] = (statuses[`${s.kind} ${s.status}`] ?? 0) + 1;
    return buildReport(settings, stack.readyMs, idle, loaded, { rate, sent: sent.length, ok, statuses });
  } finally {
    await stack.stop();
  }
}

function byComponent(memory: StackMemory): Map<string, { pss: number; rss: number; count: number }> {
  const groups = new Map<string, { pss: number; rss: number; count: number }>();
  for (const p of memory.processes) {
    const key = p.name.split('/')[0] ?? p.name;
    const g = groups.get(key) ?? { pss: 0, rss: 0, count: 0 };
    groups.set(key, { pss: g.pss + p.pssMb, rss: g.rss + p.rssMb, count: g.count + 1 });
  }
  return new Map([...groups].sort((a, b) => b[1].pss - a[1].pss));
}

function buildReport(
  settings: BenchSettings,
  readyMs: number,
  idle: StackMemory,
  loaded: StackMemory,
  load: { rate: number; sent: number; ok: number; statuses: Record<string, number> },
): BenchReport {
  const gb = (mb: number) => mb / 1024;
  const idleGroups = byComponent(idle);
  const loadedGroups = byComponent(loaded);
  return {
    name: 'footprint',
    title: 'Footprint: memory of the whole stack and time to ready',
    summary:
      `\`npm start\` on a warm machine (dependencies installed, build up to date, Kafka jars and Go tools cached), ` +
      `then the resident memory of every process of the stack: the launcher chain, every service, and the ` +
      `infrastructure (PostgreSQL with its backends, Redis, Kafka, Mailpit, Jaeger). PSS splits shared pages ` +
      `between the processes sharing them, so it sums honestly; RSS counts them in each. Under load: the chaos ` +
      `runner's shop mix (75% browse, 15% cart, 10% checkout) at ${load.rate} requests/s ` +
      `(${load.ok} of ${load.sent} answered 2xx). For comparison, the OpenTelemetry demo documents about ` +
      `${OTEL_DEMO_GB} GB for its compose stack.`,
    goals: [
      {
        statement: 'whole stack under load, PSS',
        measured: gb(loaded.pssMb),
        target: GOAL_GB,
        better: 'lower',
        unit: 'GB',
      },
    ],
    sections: [
      {
        heading: 'Totals',
        markdown: table([
          ['', 'processes', 'PSS GB', 'RSS GB'],
          ['idle', idle.processes.length, gb(idle.pssMb), gb(idle.rssMb)],
          ['under load', loaded.processes.length, gb(loaded.pssMb), gb(loaded.rssMb)],
          ['time from `npm start` to ready', `${fmt(readyMs / 1000)} s`, '', ''],
        ]),
      },
      {
        heading: 'By component (PSS MB, idle → under load)',
        markdown: table([
          ['component', 'processes', 'idle PSS', 'loaded PSS', 'loaded RSS'],
          ...[...loadedGroups].map(([name, g]) => [
            name,
            g.count,
            idleGroups.get(name)?.pss ?? 0,
            g.pss,
            g.rss,
          ]),
        ]),
      },
      {
        heading: 'The load, by request kind and status',
        markdown:
          table([
            ['request', 'count'],
            ...Object.entries(load.statuses).sort(([a], [b]) => a.localeCompare(b)),
          ]) + '\n\nStatus 0: no answer within the client’s 5 s timeout. Memory is measured either way.',
      },
      {
        heading: 'Biggest processes under load',
        markdown: table([
          ['process', 'PSS MB', 'RSS MB'],
          ...loaded.processes.slice(0, 12).map((p) => [`${p.name} (${p.pid})`, p.pssMb, p.rssMb]),
        ]),
      },
    ],
    data: { readyMs, idle, loaded, load },
    settings,
  };
}
