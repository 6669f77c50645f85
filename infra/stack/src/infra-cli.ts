/**
 * Runs only the infrastructure (PostgreSQL, Redis, Kafka), natively:
 *
 *   node_modules/.bin/tsx infra/stack/src/infra-cli.ts up      start what is missing; Ctrl-C stops what this started
 *   node_modules/.bin/tsx infra/stack/src/infra-cli.ts down    stop every server a Surge pid file names (even from a crashed run)
 *   node_modules/.bin/tsx infra/stack/src/infra-cli.ts status  what runs, on which port, started by whom
 */
import { type Infra, ensureInfra, infraStatus, stopInfra, stopRecordedInfra } from './native/infra';
import { InfraError, consoleLog, errorMessage } from './native/log';
import { isAlive, tailFile } from './native/process';

const log = consoleLog;

async function up(): Promise<void> {
  const abort = new AbortController();
  // Set once ensureInfra resolves; the signal handler below reads it.
  const state: { infra?: Infra; stopWatching?: () => void } = {};
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      state.stopWatching?.();
      log(`[infra] ${reason}: stopping what this process started`);
      if (state.infra) await stopInfra(state.infra, { log });
      log('[infra] stopped');
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!state.infra) {
      // Still starting: abort the readiness waits; ensureInfra stops what it already started.
      log(`[infra] ${signal} while starting: aborting`);
      abort.abort();
      return;
    }
    if (stopping) {
      log('[infra] already stopping, please wait');
      return;
    }
    shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => fail(err),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  state.infra = await ensureInfra({ log, signal: abort.signal });
  printSummary(state.infra);
  log('[infra] running; press Ctrl-C to stop');
  state.stopWatching = watch(state.infra);
}

function printSummary(infra: Infra): void {
  for (const h of [infra.postgres, infra.redis, infra.kafka]) {
    const how = h.startedByUs
      ? 'started by this process'
      : h.source === 'ours-running'
        ? 'started by another Surge process'
        : h.source;
    log(`[infra] ${h.component.padEnd(8)} ${h.host}:${h.port}  ${h.pid ? `pid ${h.pid}` : '-'}  (${how})`);
  }
  for (const [name, value] of Object.entries(infra.env)) log(`  ${name}=${value}`);
}

/** Reports (once) a server of ours that dies while we are up, with the end of its log. */
function watch(infra: Infra): () => void {
  const reported = new Set<string>();
  const timer = setInterval(() => {
    for (const h of [infra.postgres, infra.redis, infra.kafka]) {
      if (h.pid === null || reported.has(h.component) || isAlive(h.pid)) continue;
      reported.add(h.component);
      const file = `${infra.paths.logsDir}/${h.component}.log`;
      log(
        `[infra] ${h.component}: exited unexpectedly (pid ${h.pid}); last lines of ${file}:\n${tailFile(file, 10)}`,
      );
    }
  }, 2_000);
  // The interval also keeps the process alive until a signal arrives.
  return () => clearInterval(timer);
}

async function status(): Promise<void> {
  for (const s of await infraStatus()) {
    const where = `${s.host}:${s.port}`.padEnd(16);
    const pid = s.pid ? `pid ${s.pid}`.padEnd(10) : ''.padEnd(10);
    log(`${s.component.padEnd(8)} ${where} ${s.state.padEnd(8)} ${pid} ${s.detail}`.trimEnd());
  }
}

function fail(err: unknown): never {
  if (err instanceof InfraError) {
    process.stderr.write(`\n[infra] error: ${err.message}\n`);
  } else {
    process.stderr.write(
      `\n[infra] error: ${errorMessage(err)}\n${err instanceof Error ? (err.stack ?? '') : ''}\n`,
    );
  }
  process.exit(1);
}

const commands: Record<string, () => Promise<void>> = {
  up,
  down: () => stopRecordedInfra({ log }),
  status,
};

const command = commands[process.argv[2] ?? ''];
if (!command) {
  process.stderr.write('usage: node_modules/.bin/tsx infra/stack/src/infra-cli.ts up|down|status\n');
  process.exit(2);
}
command().catch(fail);
