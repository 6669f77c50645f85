import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareShop, startStack, type Customer } from '@surge/stack/chaos';
import { ensurePostgres, devPassword, findRepoRoot, surgePaths, logFile } from '@surge/stack/native';
import {
  cpuSecondsByGroup,
  machineBusySeconds,
  ownCpuSeconds,
  perUnitMs,
  stackGroups,
} from '../lib/machine-cpu';
import { placeCheckout, type Shop } from '../lib/bench-checkout';
import { statementCount, toPgbenchScript } from '../lib/pgbench-script';
import { sleep } from '../lib/processes';
import { fmt, table, type BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import { readStatements, startCapture, stopCapture, subtractBaseline } from '../lib/statement-capture';
import { ensureTools } from '../lib/tools';

const run = promisify(execFile);
/** Issue 13's checkout goals. */
const GOAL = 0.6;
const CPU_GOAL_MS = 15;
const IDLE_P50_GOAL_MS = 20;
/** Checkouts placed one after the other on an otherwise idle stack, for the single-checkout latency. */
const IDLE_CHECKOUTS = 50;
const SERVICES = [
  'gateway',
  'user',
  'product',
  'order',
  'payment',
  'payment-provider',
  'notification',
  'storefront',
];
/** How long to let the saga's tail (relay, consumers, notification) run before the capture ends. */
const CAPTURE_WINDOW_MS = 3_000;

/**
 * The settings a checkout is measured under: what `k8s/base` runs (LOG_LEVEL=info;
 * NODE_ENV=production, which samples one trace in ten) for the goal verdicts, and what
 * `npm start` runs (every trace) beside it. NODE_ENV itself stays `development`, as in
 * service-reads and gateway-vs-nginx: production refuses the development passwords the
 * stack provisions with, so the two production settings that cost CPU are set directly.
 * The per-IP credential limit is lifted in both: one IP (this machine) places every checkout.
 */
const PRODUCTION = 'production (k8s/base: 10% of traces, info log)';
const DEVELOPMENT = 'development (npm start: every trace, info log)';
const SETTINGS: Array<[string, Record<string, string>]> = [
  [PRODUCTION, { OTEL_TRACES_SAMPLER_ARG: '0.1', LOG_LEVEL: 'info' }],
  [DEVELOPMENT, { OTEL_TRACES_SAMPLER_ARG: '1', LOG_LEVEL: 'info' }],
];

/** One stack's turn: its checkouts one at a time and in the closed loop. */
interface SettingResult {
  setting: string;
  idle: IdleResult;
  checkout: CheckoutResult;
}

/**
 * Checkouts through the gateway against what the database alone sustains for the same
 * SQL: one checkout's statements are captured from the PostgreSQL log (log_statement=all,
 * less a quiet window of the same length), turned into one pgbench script per database,
 * and run with the same concurrency as the checkout loop.
 */
export async function checkoutVsPgbench(settings: BenchSettings): Promise<BenchReport> {
  const tools = await ensureTools(['pgbench']);
  const paths = surgePaths();
  const clients = settings.connections > 32 ? 16 : settings.connections;
  const results: SettingResult[] = [];
  let pgbench: { perDatabase: PgbenchResult[]; checkoutsPerSecond: number } | undefined;
  // One stack per setting (sampling and log level are read at start); the statements and
  // pgbench do not depend on them, so they are captured and run once, with the first.
  for (const [setting, env] of SETTINGS) {
    process.stdout.write(`[bench] checkouts with ${setting}\n`);
    const stack = await startStack({ RATE_LIMIT_CREDENTIALS_MAX: '100000', ...env });
    try {
      const gateway = `http://127.0.0.1:${process.env.SURGE_GATEWAY_PORT ?? '8080'}`;
      const shop: Shop = { gateway, ...(await prepareShop(gateway, clients, 5)) };
      const postgres = await ensurePostgres({});
      const scripts = pgbench
        ? undefined
        : await captureCheckout(shop, postgres.adminUrl, postgresLog(paths));
      if (!scripts) await warmUp(shop);
      const idle = await measureIdleCheckouts(shop);
      const checkout = await measureCheckouts(shop, settings, clients);
      results.push({ setting, idle, checkout });
      if (scripts)
        pgbench = await measurePgbench(tools.pgbench, scripts, postgres.adminUrl, settings, clients);
    } finally {
      await stack.interrupt();
    }
  }
  return buildReport(settings, clients, results, pgbench!);
}

/**
 * The PostgreSQL server's log, where log_statement=all writes a checkout's statements:
 * the stack's own, or BENCH_POSTGRES_LOG when the server was started by another clone
 * (a PostgreSQL shared between clones logs to that clone's state directory).
 */
function postgresLog(paths: ReturnType<typeof surgePaths>): string {
  const file = process.env.BENCH_POSTGRES_LOG || logFile(paths, 'postgres');
  if (!fs.existsSync(file))
    throw new Error(
      `no PostgreSQL log at ${file}: this clone did not start the server; set BENCH_POSTGRES_LOG to its log file`,
    );
  return file;
}

async function checkoutOnce(shop: Shop, customer: Customer): Promise<number> {
  return (await placeCheckout(shop, customer)).status;
}

/**
 * Every path once (connections, prepared caches, JWKS) before anything is measured. Right
 * after a start, the order service's breaker towards product may still be open (its recovery
 * worker can call product before product listens): wait it out, as a client would.
 */
async function warmUp(shop: Shop): Promise<void> {
  const customer = shop.customers[0]!;
  const deadline = Date.now() + 60_000;
  let warm = await placeCheckout(shop, customer);
  while (warm.status !== 201 && Date.now() < deadline) {
    await sleep(1_000);
    warm = await placeCheckout(shop, customer);
  }
  if (warm.status !== 201) throw new Error(`a checkout answered ${warm.status}: ${warm.body}`);
}

/** Statements of one checkout, per database, as pgbench scripts written next to the results. */
async function captureCheckout(shop: Shop, adminUrl: string, pgLog: string): Promise<Map<string, string>> {
  const customer = shop.customers[0]!;
  await warmUp(shop);
  await sleep(CAPTURE_WINDOW_MS);
  const { offset: start } = await startCapture(adminUrl, pgLog);
  let baselineEnd = start;
  let end = start;
  try {
    await sleep(CAPTURE_WINDOW_MS);
    baselineEnd = fs.statSync(pgLog).size;
    const captured = await placeCheckout(shop, customer);
    if (captured.status !== 201)
      throw new Error(`the captured checkout answered ${captured.status}: ${captured.body}`);
    await sleep(CAPTURE_WINDOW_MS);
    end = fs.statSync(pgLog).size;
  } finally {
    await stopCapture(adminUrl);
  }
  const baseline = readStatements(pgLog, start, baselineEnd);
  const checkout = subtractBaseline(readStatements(pgLog, baselineEnd, end), baseline);
  const userIds = shop.customers.map((c) => subjectOf(c.token));
  const keep = new Set([...shop.productIds, ...userIds]);
  const dir = path.join(findRepoRoot(), 'docs', 'results', 'checkout-sql');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const scripts = new Map<string, string>();
  // Only the stack's own databases: anything else the server ran meanwhile (another
  // clone's tests on a shared PostgreSQL) is not part of a checkout.
  const ours = /^surge_(user|product|order|payment|notification|provider)$/;
  const databases = [...new Set(checkout.map((s) => s.database))].filter((name) => ours.test(name));
  for (const database of databases.sort()) {
    const script = toPgbenchScript(
      checkout.filter((s) => s.database === database),
      keep,
    );
    if (statementCount(script) === 0) continue;
    const file = path.join(dir, `${database}.sql`);
    fs.writeFileSync(file, script);
    scripts.set(database, file);
  }
  if (scripts.size === 0) throw new Error('captured no statements: is log_statement honoured?');
  return scripts;
}

function subjectOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sub: string;
  };
  return payload.sub;
}

interface CheckoutResult {
  perSecond: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  /**
   * Machine CPU per paid checkout over the measured window: every process's busy time
   * from /proc/stat less this process's own (the load generator), and the part of it
   * each of the stack's processes used.
   */
  cpuMsPerCheckout: number;
  cpuByProcess: Array<{ name: string; msPerUnit: number }>;
}

interface IdleResult {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * One checkout at a time, each after the previous answer and a short pause, on a stack
 * with nothing else to do: what one customer waits for, without queueing behind others.
 */
async function measureIdleCheckouts(shop: Shop): Promise<IdleResult> {
  const customer = shop.customers[0]!;
  const times: number[] = [];
  for (let i = 0; i < IDLE_CHECKOUTS; i += 1) {
    const started = performance.now();
    const status = await checkoutOnce(shop, customer).catch(() => 0);
    if (status === 201) times.push(performance.now() - started);
    await sleep(50);
  }
  times.sort((a, b) => a - b);
  const result = { count: times.length, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99) };
  process.stdout.write(`[bench] one checkout at a time: p50 ${fmt(result.p50Ms)} ms\n`);
  return result;
}

/** A closed loop: `clients` customers, each checking out again as soon as the last answer came. */
async function measureCheckouts(
  shop: Shop,
  settings: BenchSettings,
  clients: number,
): Promise<CheckoutResult> {
  const loop = async (seconds: number, record: boolean) => {
    const statuses: Record<string, number> = {};
    const times: number[] = [];
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const customer = shop.customers[i % shop.customers.length]!;
        while (Date.now() < until) {
          const started = Date.now();
          const status = await checkoutOnce(shop, customer).catch(() => 0);
          if (!record) continue;
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 201) times.push(Date.now() - started);
        }
      }),
    );
    return { statuses, times: times.sort((a, b) => a - b) };
  };
  await loop(settings.warmupSeconds, false);
  const groups = stackGroups(SERVICES);
  const started = Date.now();
  const [busyBefore, ownBefore, groupsBefore] = [
    machineBusySeconds(),
    ownCpuSeconds(),
    cpuSecondsByGroup(groups),
  ];
  const { statuses, times } = await loop(settings.seconds, true);
  const [busyAfter, ownAfter, groupsAfter] = [
    machineBusySeconds(),
    ownCpuSeconds(),
    cpuSecondsByGroup(groups),
  ];
  const elapsed = (Date.now() - started) / 1000;
  const paid = statuses['201'] ?? 0;
  const stackSeconds = busyAfter - busyBefore - (ownAfter - ownBefore);
  const result = {
    perSecond: paid / elapsed,
    statuses,
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    cpuMsPerCheckout: paid > 0 ? (stackSeconds * 1000) / paid : Number.NaN,
    cpuByProcess: perUnitMs(groupsBefore, groupsAfter, paid),
  };
  process.stdout.write(
    `[bench] checkouts: ${fmt(result.perSecond)}/s (${JSON.stringify(statuses)}), ` +
      `${fmt(result.cpuMsPerCheckout)} ms of machine CPU each\n`,
  );
  return result;
}

interface PgbenchResult {
  database: string;
  statements: number;
  tps: number;
  failed: number;
  /** pgbench's first error, when a client aborted: the tps then undercounts. */
  aborted?: string;
}

/**
 * Each database's script alone, saturated with the same client count. One checkout needs
 * one run of every script, so the database-bound checkout rate is 1 / Σ(1/tps).
 */
async function measurePgbench(
  pgbench: string,
  scripts: Map<string, string>,
  adminUrl: string,
  settings: BenchSettings,
  clients: number,
): Promise<{ perDatabase: PgbenchResult[]; checkoutsPerSecond: number }> {
  const perDatabase: PgbenchResult[] = [];
  const port = new URL(adminUrl).port;
  for (const [database, file] of scripts) {
    const result = await withDatabaseCopy(adminUrl, database, (copy) =>
      pgbenchOne(pgbench, database, copy, file, port, settings, clients),
    );
    perDatabase.push(result);
    process.stdout.write(`[bench] pgbench ${database}: ${fmt(result.tps)} tps\n`);
  }
  const checkoutsPerSecond = 1 / perDatabase.reduce((sum, r) => sum + 1 / r.tps, 0);
  return { perDatabase, checkoutsPerSecond };
}

/**
 * pgbench writes what a checkout writes (orders, payments, reservations, outbox rows), so
 * it runs on a copy of the database, made with pg_dump in the same cluster and dropped
 * afterwards: the stack's own data stays what the auditor expects of it, and no outbox
 * relay publishes pgbench's rows as events.
 */
async function withDatabaseCopy<T>(
  adminUrl: string,
  database: string,
  measure: (copy: string) => Promise<T>,
): Promise<T> {
  const copy = `${database}_pgbench`;
  const admin = (sql: string) => run('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-c', sql, adminUrl]);
  const source = new URL(adminUrl);
  source.pathname = `/${database}`;
  const target = new URL(adminUrl);
  target.pathname = `/${copy}`;
  target.username = database;
  target.password = devPassword(database);
  await admin(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${copy} OWNER ${database}`);
  try {
    await run(
      'sh',
      [
        '-c',
        'pg_dump --no-owner --no-privileges "$1" | psql -q -v ON_ERROR_STOP=1 "$2"',
        'sh',
        source.toString(),
        target.toString(),
      ],
      {
        maxBuffer: 1 << 24,
      },
    );
    return await measure(copy);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
  }
}

/** One database's script on its copy, saturated with the checkout loop's client count. */
async function pgbenchOne(
  pgbench: string,
  database: string,
  copy: string,
  file: string,
  port: string,
  settings: BenchSettings,
  clients: number,
): Promise<PgbenchResult> {
  const args = ['-n', '-M', 'simple', '-f', file, '-c', String(clients), '-j', '1', '-h', '127.0.0.1'];
  const env = { ...process.env, PGPASSWORD: devPassword(database) };
  const common = [...args, '-p', port, '-U', database, copy];
  if (settings.warmupSeconds > 0)
    await run(pgbench, ['-T', String(settings.warmupSeconds), ...common], { env }).catch(() => undefined);
  // pgbench exits non-zero when a client aborts on an error; its report still says how far it got.
  const { stdout, stderr } = await run(pgbench, ['-T', String(settings.seconds), ...common], {
    env,
    maxBuffer: 1 << 22,
  }).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? '',
  }));
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
  const aborted = /error: (.*)/.exec(stderr)?.[1];
  if (aborted) process.stdout.write(`[bench] pgbench ${database}: ${aborted}\n`);
  return {
    database,
    statements: statementCount(fs.readFileSync(file, 'utf8')),
    tps,
    failed,
    ...(aborted ? { aborted } : {}),
  };
}

function buildReport(
  settings: BenchSettings,
  clients: number,
  results: SettingResult[],
  pgbench: { perDatabase: PgbenchResult[]; checkoutsPerSecond: number },
): BenchReport {
  const production = results.find((r) => r.setting === PRODUCTION)!;
  const { idle, checkout } = production;
  const ratio = checkout.perSecond / pgbench.checkoutsPerSecond;
  const processes = [...new Set(results.flatMap((r) => r.checkout.cpuByProcess.map((p) => p.name)))];
  const cpuOf = (r: SettingResult, name: string) =>
    r.checkout.cpuByProcess.find((p) => p.name === name)?.msPerUnit ?? Number.NaN;
  return {
    name: 'checkout-vs-pgbench',
    title: 'Checkout against the database’s own limit',
    summary:
      `Checkouts per second through the gateway (${clients} customers in a closed loop, one product each, ` +
      `\`tok_visa\`), against pgbench running the very statements one checkout ran (captured from the PostgreSQL ` +
      `log of the same stack, in docs/results/checkout-sql/) on the same databases with ${clients} clients. ` +
      `Each database's script is run alone; one checkout needs one run of each, so the database-bound rate is ` +
      `1 / Σ(1/tps). Everything runs unpinned on the same machine, services and PostgreSQL as \`npm run stack -- up\` ` +
      `starts them, once with production settings (what k8s/base runs: one trace in ten, info log; the goal ` +
      `verdicts) and once with development settings (what \`npm start\` runs: every trace), each on a freshly ` +
      `started stack; the statements are captured and pgbench run once, with the first.`,
    goals: [
      {
        statement: 'checkouts/s as a share of the database-bound rate (production settings)',
        measured: ratio * 100,
        target: GOAL * 100,
        better: 'higher',
        unit: '%',
      },
      {
        statement: 'machine CPU per checkout, every process, infrastructure included (production settings)',
        measured: checkout.cpuMsPerCheckout,
        target: CPU_GOAL_MS,
        better: 'lower',
        unit: 'ms',
      },
      {
        statement: 'one checkout on an idle stack, p50 (production settings)',
        measured: idle.p50Ms,
        target: IDLE_P50_GOAL_MS,
        better: 'lower',
        unit: 'ms',
      },
    ],
    sections: [
      {
        heading: 'Checkouts through the gateway',
        markdown: table([
          ['settings', 'checkouts/s (201)', 'p50 ms', 'p99 ms', 'answers by status'],
          ...results.map((r) => [
            r.setting,
            r.checkout.perSecond,
            r.checkout.p50Ms,
            r.checkout.p99Ms,
            JSON.stringify(r.checkout.statuses),
          ]),
        ]),
      },
      {
        heading: 'One checkout at a time',
        markdown: [
          table([
            ['settings', 'checkouts', 'p50 ms', 'p99 ms'],
            ...results.map((r) => [r.setting, r.idle.count, r.idle.p50Ms, r.idle.p99Ms]),
          ]),
          '',
          `${IDLE_CHECKOUTS} checkouts one after the other, 50 ms apart, before the closed loop: the time one customer ` +
            'waits when nobody else is buying.',
        ].join('\n'),
      },
      {
        heading: 'Machine CPU per checkout',
        markdown: [
          table([
            ['process', ...results.map((r) => `CPU ms per checkout, ${r.setting}`)],
            ...processes.map((name) => [name, ...results.map((r) => cpuOf(r, name))]),
            [
              '**whole machine, less the load generator**',
              ...results.map((r) => r.checkout.cpuMsPerCheckout),
            ],
          ]),
          '',
          "Over the closed loop's measured window: the whole machine's busy time from /proc/stat, less the " +
            "benchmark process's own (it is the load generator), divided by the paid checkouts; the rows above it " +
            "are the stack's processes, read from /proc/<pid>/stat. What the rows do not add up to is the kernel's " +
            'work outside them and any other process on the machine (on a busy machine, a large part).',
        ].join('\n'),
      },
      {
        heading: 'pgbench on the same statements',
        markdown: [
          table([
            ['database', 'statements per checkout', 'tps alone', 'failed', 'error'],
            ...pgbench.perDatabase.map((r) => [r.database, r.statements, r.tps, r.failed, r.aborted ?? '']),
            ['**database-bound checkouts/s**', '', pgbench.checkoutsPerSecond, '', ''],
          ]),
          '',
          'A checkout is a saga of calls made one after the other (gateway → order → product reserve → payment → ' +
            'provider → product commit), each a hop through HTTP, JSON, validation, logging and tracing in a Node ' +
            'process, around the statements above; with a closed loop, checkouts/s = customers / checkout latency. ' +
            'What the database does not see is the rest: compare the p50 above with the sum of the statements’ time ' +
            '(pgbench at one client), and see where a Node service spends its CPU in bench-gateway-vs-nginx.md.',
        ].join('\n'),
      },
    ],
    data: { clients, checkout, development: results.find((r) => r.setting === DEVELOPMENT), pgbench, ratio },
    settings,
  };
}
