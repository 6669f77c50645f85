#!/usr/bin/env node
/**
 * `npm run stack -- <verb>`: runs Surge natively. Each verb lives in commands/.
 */
import { audit } from './commands/audit';
import { dlq } from './commands/dlq';
import { down } from './commands/down';
import { jaegerUi } from './commands/jaeger-ui';
import { fault } from './commands/fault';
import { heal, partition, toxic } from './commands/network';
import { lifecycle } from './commands/lifecycle';
import { logs } from './commands/logs';
import { ps } from './commands/ps';
import { rotateKeys } from './commands/rotate-keys';
import { screenshot } from './commands/screenshot';
import { trace } from './commands/trace';
import { scale } from './commands/scale';
import { up } from './commands/up';

interface Verb {
  summary: string;
  run(args: string[]): Promise<void>;
}

const VERBS: Record<string, Verb> = {
  up: {
    summary:
      'start infrastructure and every service; stream logs; Ctrl-C stops everything. `up --network-faults`: services reach dependencies through Toxiproxy (for partition, toxic)',
    run: (args) => up(args),
  },
  down: { summary: 'stop everything Surge started (also after a crash)', run: () => down() },
  ps: { summary: 'show every service instance and infrastructure: state, pid, address', run: () => ps() },
  logs: {
    summary: 'follow logs: `logs [service[/i]|postgres|redis|kafka] [--raw]`',
    run: (args) => logs(args),
  },
  scale: {
    summary:
      'run N instances of a service next to `up`: `scale <service>=<N> [...] [--cpus <n>]` (instance i on port + 100·i)',
    run: (args) => scale(args),
  },
  kill: {
    summary:
      'crash every instance of a service, one (`product/2`), or postgres|redis|kafka|mailpit (SIGKILL): `kill <name>[/i]`',
    run: (args) => lifecycle('kill', args),
  },
  stop: {
    summary: 'stop gracefully (SIGTERM): `stop <name>[/i]`',
    run: (args) => lifecycle('stop', args),
  },
  start: {
    summary: 'start again with the usual configuration (port, CPU quota): `start <name>[/i]`',
    run: (args) => lifecycle('start', args),
  },
  restart: { summary: 'stop, then start: `restart <name>[/i]`', run: (args) => lifecycle('restart', args) },
  audit: {
    summary:
      'check that the whole system is consistent: `audit [--settle <s>] [--json]`; exits 1 on any violation',
    run: (args) => audit(args),
  },
  dlq: {
    summary:
      'dead letters: `dlq list [topic]` shows them, `dlq replay <topic> [--id <ce_id>]` republishes them',
    run: (args) => dlq(args),
  },
  trace: {
    summary: 'draw one trace from Jaeger as an HTML waterfall: `trace <trace id>`',
    run: (args) => trace(args),
  },
  screenshot: {
    summary:
      'place a checkout on the running stack and save a picture of its trace: `screenshot [--out <png>] [--waterfall]`',
    run: (args) => screenshot(args),
  },
  'jaeger-ui': {
    summary:
      'whether Jaeger has a UI build to serve and how to get one; `jaeger-ui <build dir>` installs one',
    run: (args) => jaegerUi(args),
  },
  fault: {
    summary:
      'development faults in a service: `fault <service>[/<i>] latency=<ms> | error-rate=<0..1> | hang | drop-after-commit | clear`',
    run: (args) => fault(args),
  },
  partition: {
    summary:
      'cut a service off one dependency (needs `up --network-faults`): `partition <service> <dependency>`',
    run: (args) => partition(args),
  },
  'rotate-keys': {
    summary:
      'sign tokens with a new RS256 key; the previous one stays in the JWKS so nobody is logged out (restarts user)',
    run: () => rotateKeys(),
  },
  heal: { summary: 'end partitions and toxics: `heal [<service> <dependency>]`', run: (args) => heal(args) },
  toxic: {
    summary:
      'degrade one pair: `toxic <service> <dependency> latency=<ms> | bandwidth=<kB/s> | timeout=<ms> | reset`',
    run: (args) => toxic(args),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(VERBS).map((verb) => verb.length));
  return [
    'usage: npm run stack -- <verb> [args]',
    '',
    ...Object.entries(VERBS).map(([verb, { summary }]) => `  ${verb.padEnd(width)}  ${summary}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const [verb, ...args] = process.argv.slice(2);
  // `npm run stack -- ps | head` closes the pipe early: that is not an error. `up` has
  // processes running by then: it stops them as on Ctrl-C, never exits from under them.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') return;
    if (verb === 'up') process.kill(process.pid, 'SIGTERM');
    else process.exit(0);
  });
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const command = verb ? VERBS[verb] : undefined;
  if (!command) {
    process.stderr.write(`${verb ? `unknown verb "${verb}"\n\n` : ''}${usage()}\n`);
    process.exit(verb ? 2 : 0);
  }
  await command.run(args);
}

main().catch((error: unknown) => {
  process.stderr.write(`[stack] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
