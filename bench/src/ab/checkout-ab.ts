/**
 * Checkout A/B on a busy, shared machine: two builds of Surge (two checkouts of the
 * repository, each built) take turns, round after round, on the same ports; each turn
 * starts the native stack from that build, places checkouts, and stops it. What a busy
 * machine cannot blur is read per process, never from the machine as a whole:
 *
 * - CPU per checkout of each of the build's own service processes (/proc/<pid>/stat,
 *   matched by the build's path), and of the PostgreSQL backends serving them (found by
 *   their client ports), over a closed loop of checkouts;
 * - pg round trips (and Kafka requests) per checkout of each service, counted inside the
 *   process (pg-round-trip-counter.cjs), less what the same stack sends when idle for as long;
 * - the latency of one checkout at a time.
 *
 * Usage: npm run bench -- checkout-ab --build before=/path/a --build after=/path/b
 *        [--rounds 2] [--seconds 15] [--clients 8] [--idle 30] [--profile dir]
 * Ports: the SURGE_*_PORT variables of the caller (one engineer's offset).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { ONE_CLIENT_ADDRESS_LIMITS, prepareShop, type Customer } from '@surge/stack/chaos';
import { ensurePostgres, stopPostgres } from '@surge/stack/native';
import { placeCheckout, type Shop } from '../lib/bench-checkout';
import { AbArguments, runAbTool, type AbBuild } from './ab-arguments';
import { parseProcessSeconds } from '../lib/machine-cpu';

const SERVICES = ['gateway', 'user', 'product', 'order', 'payment', 'payment-provider', 'notification'];

interface Options {
  builds: AbBuild[];
  rounds: number;
  seconds: number;
  clients: number;
  idle: number;
  profileDir?: string;
  adminUrl: string;
}

const USAGE =
  'npm run bench -- checkout-ab --build <label>=<built repository>[:KEY=VALUE,...] [--build ...] ' +
  '[--rounds 2] [--seconds 15] [--clients 8] [--idle 30] [--profile <dir>] [--admin-url <postgres>]';

function parseOptions(argv: string[]): Options {
  const args = AbArguments.parse(argv, ['rounds', 'seconds', 'clients', 'idle', 'profile', 'admin-url']);
  const profileDir = args.path('profile');
  return {
    builds: args.builds(1),
    rounds: args.number('rounds', 2),
    seconds: args.number('seconds', 15),
    clients: args.number('clients', 8),
    idle: args.number('idle', 30),
    adminUrl: args.text('admin-url') ?? '',
    ...(profileDir ? { profileDir } : {}),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `stack up` from one build, resolved once it says Surge is up. */
async function startStack(root: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/stack/src/cli.ts', 'up'], {
    cwd: root,
    env: { ...process.env, ...ONE_CLIENT_ADDRESS_LIMITS, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 300_000;
  while (!/Surge is up/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGINT');
      throw new Error(`stack of ${root} did not come up:\n${output.slice(-4000)}`);
    }
    await sleep(200);
  }
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

/** This build's service processes: pid → service name. */
function servicePids(root: string): Map<number, string> {
  const pids = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const name = SERVICES.find((s) => cmd.includes(`${root}/services/${s}/dist/`));
      if (name) pids.set(Number(entry), name);
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** The PostgreSQL backends whose client sockets belong to these processes. */
async function backendPids(adminUrl: string, owners: Map<number, string>): Promise<Map<number, string>> {
  const ss = execFileSync('ss', ['-tnpH', 'state', 'established', 'dport', '= :5432'], { encoding: 'utf8' });
  const portOwner = new Map<number, string>();
  for (const line of ss.split('\n')) {
    const local = /\S+:(\d+)\s+\S+:5432/.exec(line);
    const pid = /pid=(\d+)/.exec(line);
    const owner = pid ? owners.get(Number(pid[1])) : undefined;
    if (local && owner) portOwner.set(Number(local[1]), owner);
  }
  const client = new Client({ connectionString: adminUrl, application_name: 'checkout-ab' });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; client_port: number }>(
      'SELECT pid, client_port FROM pg_stat_activity WHERE client_port IS NOT NULL',
    );
    const backends = new Map<number, string>();
    for (const row of rows) {
      const owner = portOwner.get(row.client_port);
      if (owner) backends.set(row.pid, `postgres (${owner})`);
    }
    return backends;
  } finally {
    await client.end();
  }
}

function cpuSeconds(pids: Map<number, string>): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids.keys()) {
    try {
      seconds.set(pid, parseProcessSeconds(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      // exited meanwhile: left out of both readings below
    }
  }
  return seconds;
}

/** Round trips so far by service, and by `service: statement shape`. */
function roundTrips(dir: string): Map<string, number> {
  const totals = new Map<string, number>();
  if (!fs.existsSync(dir)) return totals;
  for (const file of fs.readdirSync(dir)) {
    try {
      const { service, count, shapes } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
        service: string;
        count: number;
        shapes: Record<string, number>;
      };
      totals.set(service, (totals.get(service) ?? 0) + count);
      for (const [shape, n] of Object.entries(shapes))
        totals.set(`${service}: ${shape}`, (totals.get(`${service}: ${shape}`) ?? 0) + n);
    } catch {
      // being written
    }
  }
  return totals;
}

async function checkout(shop: Shop, customer: Customer): Promise<number> {
  return (await placeCheckout(shop, customer)).status;
}

interface Turn {
  label: string;
  paid: number;
  /** Answers of every status in the closed loop. */
  answered: number;
  perSecond: number;
  idleP50Ms: number;
  cpuMs: Map<string, number>;
  roundTrips: Map<string, number>;
}

async function turn(options: Options, build: AbBuild, round: number): Promise<Turn> {
  const { label, root } = build;
  const counterDir = fs.mkdtempSync(`/tmp/checkout-ab-${label}-`);
  const env: Record<string, string> = {
    ...build.env,
    PG_ROUND_TRIP_DIR: counterDir,
    NODE_OPTIONS: `--require ${path.join(__dirname, 'pg-round-trip-counter.cjs')}`,
  };
  if (options.profileDir) env.CPU_PROFILE_DIR = path.join(options.profileDir, `${label}-${round}`);
  const stack = await startStack(root, env);
  try {
    const shop: Shop = {
      gateway: `http://127.0.0.1:${process.env.SURGE_GATEWAY_PORT ?? '8080'}`,
      ...(await prepareShop(
        `http://127.0.0.1:${process.env.SURGE_GATEWAY_PORT ?? '8080'}`,
        options.clients,
        5,
      )),
    };
    // Warm up (connections, JIT, breakers that opened during start-up).
    const warmUntil = Date.now() + 60_000;
    let warmed = 0;
    while (warmed < 20 && Date.now() < warmUntil)
      if ((await checkout(shop, shop.customers[0]!)) === 201) warmed += 1;
    // One checkout at a time.
    const times: number[] = [];
    for (let i = 0; i < options.idle; i += 1) {
      const started = performance.now();
      if ((await checkout(shop, shop.customers[0]!)) === 201) times.push(performance.now() - started);
      await sleep(50);
    }
    times.sort((a, b) => a - b);
    const idleP50Ms = times[Math.floor(times.length / 2)] ?? Number.NaN;
    // Background round trips (relay polls, workers) over a quiet window as long as the loop.
    await sleep(1_000);
    const quietBefore = roundTrips(counterDir);
    await sleep(options.seconds * 1000);
    const quietAfter = roundTrips(counterDir);
    // The closed loop.
    const pids = servicePids(root);
    const backends = await backendPids(options.adminUrl, pids);
    const all = new Map([...pids, ...backends]);
    const cpuBefore = cpuSeconds(all);
    const tripsBefore = roundTrips(counterDir);
    const started = Date.now();
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    let paid = 0;
    const statuses: Record<string, number> = {};
    const until = started + options.seconds * 1000;
    await Promise.all(
      shop.customers.map(async (customer) => {
        while (Date.now() < until) {
          const status = await checkout(shop, customer).catch(() => 0);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 201) paid += 1;
        }
      }),
    );
    process.stdout.write(`[ab] ${label} answers by status ${JSON.stringify(statuses)}\n`);
    const elapsed = (Date.now() - started) / 1000;
    // The loop's span of the monotonic clock, for summarising the services' profiles.
    process.stdout.write(
      `[ab] ${label} loop window us ${fromUs} ${Number(process.hrtime.bigint() / 1000n)}\n`,
    );
    await sleep(500);
    // Backends the pools opened during the loop count from zero (a new backend starts at none).
    for (const [pid, name] of await backendPids(options.adminUrl, pids)) {
      if (all.has(pid)) continue;
      all.set(pid, name);
      cpuBefore.set(pid, 0);
    }
    const cpuAfter = cpuSeconds(all);
    const tripsAfter = roundTrips(counterDir);
    const cpuMs = new Map<string, number>();
    for (const [pid, after] of cpuAfter) {
      const before = cpuBefore.get(pid);
      if (before === undefined) continue;
      const name = all.get(pid)!;
      cpuMs.set(name, (cpuMs.get(name) ?? 0) + ((after - before) * 1000) / paid);
    }
    const trips = new Map<string, number>();
    for (const [service, after] of tripsAfter) {
      const quiet = (quietAfter.get(service) ?? 0) - (quietBefore.get(service) ?? 0);
      const busy = after - (tripsBefore.get(service) ?? 0);
      trips.set(service, (busy - quiet) / paid);
    }
    const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
    return { label, paid, answered, perSecond: paid / elapsed, idleP50Ms, cpuMs, roundTrips: trips };
  } finally {
    await stack.stop();
    fs.rmSync(counterDir, { recursive: true, force: true });
  }
}

const f = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(2));

function report(all: Turn[]): string {
  // A turn whose checkouts were refused (the shared Redis's per-IP limit, which other
  // engineers' load runs from 127.0.0.1 also draw on) measured something else: left out.
  const turns = all.filter((t) => t.paid >= 0.95 * t.answered);
  const labels = [...new Set(turns.map((t) => t.label))];
  const median = (label: string, pick: (t: Turn) => number | undefined) => {
    const values = turns
      .filter((t) => t.label === label)
      .map(pick)
      .filter((v): v is number => v !== undefined);
    // The median of the rounds: one round that another engineer's test suite slowed moves it least.
    values.sort((a, b) => a - b);
    return values.length ? values[Math.floor(values.length / 2)] : undefined;
  };
  const names = [...new Set(turns.flatMap((t) => [...t.cpuMs.keys()]))].sort();
  const keys = [...new Set(turns.flatMap((t) => [...t.roundTrips.keys()]))].sort();
  // `<service> (kafka)` is what the counter saw kafkajs send to the broker, by API name.
  const kafka = keys.filter((k) => !k.includes(': ') && k.endsWith(' (kafka)'));
  const services = keys.filter((k) => !k.includes(': ') && !k.endsWith(' (kafka)'));
  const shapes = keys.filter(
    (k) => k.includes(': ') && /^(order|product|payment|notification|notification \(kafka\)): /.test(k),
  );
  const lines = [`| what | ${labels.join(' | ')} |`, `| --- | ${labels.map(() => '---').join(' | ')} |`];
  const row = (what: string, pick: (t: Turn) => number | undefined) =>
    lines.push(`| ${what} | ${labels.map((l) => f(median(l, pick))).join(' | ')} |`);
  row('checkouts/s (closed loop)', (t) => t.perSecond);
  row('one checkout at a time, p50 ms', (t) => t.idleP50Ms);
  for (const name of names) row(`CPU ms per checkout: ${name}`, (t) => t.cpuMs.get(name));
  row('**CPU ms per checkout: these processes**', (t) => [...t.cpuMs.values()].reduce((a, b) => a + b, 0));
  for (const service of services)
    row(`pg round trips per checkout: ${service}`, (t) => t.roundTrips.get(service));
  row('**pg round trips per checkout: all**', (t) =>
    services.reduce((sum, service) => sum + (t.roundTrips.get(service) ?? 0), 0),
  );
  for (const service of kafka)
    row(`Kafka requests per checkout: ${service.replace(' (kafka)', '')}`, (t) => t.roundTrips.get(service));
  lines.push(
    '',
    `| statement (first words) | ${labels.join(' | ')} |`,
    `| --- | ${labels.map(() => '---').join(' | ')} |`,
  );
  for (const shape of shapes) {
    const values = labels.map((l) => median(l, (t) => t.roundTrips.get(shape)));
    if (values.every((v) => v === undefined || Math.abs(v) < 0.05)) continue;
    lines.push(`| ${shape.replaceAll('|', '\\|')} | ${values.map(f).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** `npm run bench -- checkout-ab <arguments>`: runs the turns and prints the table. */
export function checkoutAb(argv: string[]): Promise<void> {
  return runAbTool(USAGE, () => parseOptions(argv), runWithPostgres);
}

async function runWithPostgres(options: Options): Promise<void> {
  const postgres = options.adminUrl ? undefined : await ensurePostgres({});
  if (postgres) options.adminUrl = postgres.adminUrl;
  try {
    await runTurns(options);
  } finally {
    // What this run started, it stops: a bench leaves the machine as it found it.
    if (postgres?.startedByUs) await stopPostgres(postgres);
  }
}

async function runTurns(options: Options): Promise<void> {
  const turns: Turn[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    for (const build of options.builds) {
      process.stdout.write(`[ab] round ${round + 1}: ${build.label} (${build.root})\n`);
      const t = await turn(options, build, round);
      const cpu = (names: string[]) => f(names.reduce((sum, n) => sum + (t.cpuMs.get(n) ?? 0), 0));
      process.stdout.write(
        `[ab] ${build.label}: ${t.paid} paid, ${f(t.perSecond)}/s, idle p50 ${f(t.idleP50Ms)} ms, ` +
          `CPU ms per checkout order ${cpu(['order'])} product ${cpu(['product'])} payment ${cpu(['payment'])} ` +
          `unchanged services ${cpu(['gateway', 'user', 'payment-provider', 'notification'])}\n`,
      );
      turns.push(t);
    }
  }
  process.stdout.write(`${report(turns)}\n`);
}
