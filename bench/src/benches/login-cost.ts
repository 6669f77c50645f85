import { performance } from 'node:perf_hooks';
import { DEFAULT_LOGIN_THROTTLE, backOffMs, createScryptHasher } from '@surge/user';
import { fmt, table, type BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';

/** The gateway's default credentials limit per client address (RATE_LIMIT_CREDENTIALS_*). */
const CREDENTIALS_PER_MINUTE_PER_IP = 10;
const COSTS = [15, 16, 17];
const PRODUCTION_COST = 17;

interface CostFigures {
  costLog2: number;
  memoryMiB: number;
  logins: number;
  cpuMsPerLogin: number;
  wallMsPerLogin: number;
}

/**
 * What one login costs the user service (one scrypt verification, the work a password
 * guess forces), at the cost before this change (2^15), in between, and OWASP's 2^17,
 * and how the credential limits bound the CPU an attacker can make it spend. The user
 * service is not started: the hasher is the same code, and nothing else in a login costs
 * a measurable share (one indexed SELECT, one INSERT, one RS256 signature).
 */
export async function loginCost(settings: BenchSettings): Promise<BenchReport> {
  const figures: CostFigures[] = [];
  for (const costLog2 of COSTS) figures.push(await measure(costLog2, settings.seconds));
  const production = figures.find((figure) => figure.costLog2 === PRODUCTION_COST)!;
  const bounds = limits(production.cpuMsPerLogin);
  return {
    name: 'login-cost',
    title: 'What a login costs in CPU, and how the credential limits bound it',
    summary:
      'Each row verifies one password over and over for the run length, one at a time, and divides the CPU time the process used (user + system, libuv threads included) by the logins. A password guess costs the same as a login: a wrong password and an unknown email (checked against a decoy hash) each do one verification. Refused attempts (429) cost none: the throttle answers before hashing.',
    goals: [
      {
        statement: 'scrypt at OWASP cost: N = 2^17, r = 8, p = 1',
        measured: PRODUCTION_COST,
        target: 17,
        better: 'higher',
        unit: 'log2(N)',
      },
    ],
    sections: [
      {
        heading: 'One login',
        markdown: table([
          ['N', 'memory per hash', 'logins measured', 'CPU per login', 'wall per login', 'logins/s per core'],
          ...figures.map((f) => [
            `2^${f.costLog2}`,
            `${f.memoryMiB} MiB`,
            f.logins,
            `${fmt(f.cpuMsPerLogin)} ms`,
            `${fmt(f.wallMsPerLogin)} ms`,
            fmt(1000 / f.cpuMsPerLogin, 1),
          ]),
        ]),
      },
      { heading: 'How the limits bound it (N = 2^17)', markdown: bounds.markdown },
    ],
    data: { figures, bounds: bounds.data },
    settings,
  };
}

async function measure(costLog2: number, seconds: number): Promise<CostFigures> {
  const hasher = createScryptHasher(costLog2);
  const stored = await hasher.hash('correct horse battery staple');
  await hasher.verify('warm-up', stored);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let logins = 0;
  while (logins < 3 || performance.now() - started < seconds * 1000) {
    await hasher.verify('a wrong guess', stored);
    logins += 1;
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`[bench] login-cost: 2^${costLog2}: ${logins} logins\n`);
  return {
    costLog2,
    memoryMiB: (128 * 2 ** costLog2 * 8) / 2 ** 20,
    logins,
    cpuMsPerLogin: (cpu.user + cpu.system) / 1000 / logins,
    wallMsPerLogin: wallMs / logins,
  };
}

/** Guesses each limit lets through per hour, and the CPU they cost. */
function limits(cpuMs: number): { markdown: string; data: Record<string, number> } {
  const policy = DEFAULT_LOGIN_THROTTLE;
  // One network against one account: the free failures, then one guess per back-off.
  let perNetworkHour = 0;
  for (let t = 0, failures = 0; t < 3_600_000; perNetworkHour += 1) {
    failures += 1;
    t += failures < policy.freeFailures ? 0 : backOffMs(failures, policy);
  }
  const perAccountHour = policy.accountCap;
  const perIpHour = CREDENTIALS_PER_MINUTE_PER_IP * 60;
  const cpuSeconds = (guesses: number) => (guesses * cpuMs) / 1000;
  const attackersToFillOneCore = Math.ceil(3_600_000 / cpuMs / perIpHour);
  const rows: Array<Array<string | number>> = [
    ['limit', 'guesses per hour', 'CPU per hour'],
    [
      `per client address (gateway: ${CREDENTIALS_PER_MINUTE_PER_IP} credential requests a minute)`,
      perIpHour,
      `${fmt(cpuSeconds(perIpHour))} s`,
    ],
    [
      'one account from one network (/24): 5 free, then doubling back-off up to 15 min',
      perNetworkHour,
      `${fmt(cpuSeconds(perNetworkHour))} s`,
    ],
    [
      `one account from any number of networks (account cap: ${policy.accountCap} failures an hour)`,
      perAccountHour,
      `${fmt(cpuSeconds(perAccountHour))} s`,
    ],
  ];
  return {
    markdown: [
      table(rows),
      '',
      `One address at the gateway's limit keeps ${fmt((perIpHour * cpuMs) / 36_000, 1)}% of one core busy; it takes ${attackersToFillOneCore} addresses at their limit to fill a core. Guesses against one account are bounded by the account cap whatever the number of addresses, so stuffing is bounded per account, and CPU exhaustion needs many addresses (then the gateway's per-IP limit and load shedding, and the user service's two-at-a-time hashing, bound the damage to login latency: other routes do not hash).`,
    ].join('\n'),
    data: { perIpHour, perNetworkHour, perAccountHour, attackersToFillOneCore, cpuMsPerLogin: cpuMs },
  };
}
