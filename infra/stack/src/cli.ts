#!/usr/bin/env node
/**
 * `pnpm stack <verb>`: runs Surge natively. Each verb lives in commands/; later work
 * adds scale, kill, start, stop, fault, partition, audit and dlq to this table.
 */
import { audit } from './commands/audit';
import { dlq } from './commands/dlq';
import { down } from './commands/down';
import { fault } from './commands/fault';
import { heal, partition, toxic } from './commands/network';
import { lifecycle } from './commands/lifecycle';
import { logs } from './commands/logs';
import { ps } from './commands/ps';
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
  ps: { summary: 'show services and infrastructure: state, pid, address', run: () => ps() },
  logs: { summary: 'follow logs: `logs [service|postgres|redis|kafka] [--raw]`', run: (args) => logs(args) },
  kill: {
    summary: 'crash a service or postgres|redis|kafka|mailpit (SIGKILL): `kill <name>`',
    run: (args) => lifecycle('kill', args),
  },
  stop: { summary: 'stop one gracefully (SIGTERM): `stop <name>`', run: (args) => lifecycle('stop', args) },
  start: {
    summary: 'start one again with its usual configuration: `start <name>`',
    run: (args) => lifecycle('start', args),
  },
  restart: { summary: 'stop, then start: `restart <name>`', run: (args) => lifecycle('restart', args) },
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
    'usage: pnpm stack <verb> [args]',
    '',
    ...Object.entries(VERBS).map(([verb, { summary }]) => `  ${verb.padEnd(width)}  ${summary}`),
  ].join('\n');
}

async function main(): Promise<void> {
  // `pnpm stack ps | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const [verb, ...args] = process.argv.slice(2);
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
