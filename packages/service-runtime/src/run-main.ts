import { stopOnSignals, type RunningServer } from '@surge/http-kit';
import { createLogger, type LogBatching, type Logger } from '@surge/logger';

/**
 * Where runMain finds the log level and the log's batching: the config's LOG_LEVEL,
 * LOG_BATCH_BYTES and LOG_FLUSH_INTERVAL_MS (baseServiceEnv), or, for a config of another
 * shape (the gateway's), where the service says.
 */
type LogLevelSource<C> = C extends { LOG_LEVEL: string } & BaseLogEnv
  ? { logLevel?: (config: C) => string; logBatching?: (config: C) => LogBatching }
  : { logLevel: (config: C) => string; logBatching: (config: C) => LogBatching };

type BaseLogEnv = { LOG_BATCH_BYTES: number; LOG_FLUSH_INTERVAL_MS: number };

/** What runMain and the test harness need to know of a service. */
export type ServiceDefinition<C, R extends RunningServer = RunningServer> = {
  name: string;
  /** Parses and validates the environment, reporting every problem at once. */
  loadConfig(env: Record<string, string | undefined>): C;
  /** Wires and starts the service; tests call it with their own config on port 0. */
  start(config: C, logger: Logger): Promise<R>;
} & LogLevelSource<C>;

/**
 * A service's process: config from `env`, the logger, the start, then a graceful stop on
 * SIGTERM or SIGINT. main.ts calls it with process.env and is the only code reading it.
 */
export function runMain<C>(service: ServiceDefinition<C>, env: Record<string, string | undefined>): void {
  const main = async () => {
    const config = service.loadConfig(env);
    const logger = createLogger({
      service: service.name,
      level: logLevelOf(service, config),
      batching: logBatchingOf(service, config),
    });
    const exitWhileStarting = exitOnSignalsWhileStarting(logger);
    const running = await service.start(config, logger);
    exitWhileStarting.stop();
    if (exitWhileStarting.signalled()) {
      // The exit the signal asked for can be deferred (telemetry exports its spans before
      // the process ends): a start that ended meanwhile must not serve, or that exit would
      // cut the requests it took. It stops at once, and the deferred exit ends the process.
      await running.stop();
      return;
    }
    logger.info({ url: running.url, adminUrl: running.adminUrl }, `${service.name} listening`);
    stopOnSignals(running, logger);
  };
  main().catch((error: unknown) => {
    // The logger may not exist yet (bad config): write one JSON line to stderr ourselves.
    // Exit outright: a half-started service may hold sockets that keep the process alive.
    const err = String(error instanceof Error ? error.message : error);
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', service: service.name, msg: 'failed to start', err })}\n`,
    );
    process.exit(1);
  });
}

/**
 * Until the graceful stop is wired, SIGTERM and SIGINT exit at once, as they would without
 * a handler, but through process.exit: the logger's batched lines are flushed on exit
 * (the start's last lines are the ones that say why a start hung).
 */
function exitOnSignalsWhileStarting(logger: Logger): { stop(): void; signalled(): boolean } {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    signalled = true;
    logger.warn({ signal }, 'stopped while starting');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    signalled: () => signalled,
    stop() {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}

function logBatchingOf<C>(service: ServiceDefinition<C>, config: C): LogBatching {
  if (service.logBatching) return service.logBatching(config);
  const env = config as BaseLogEnv;
  return { bytes: env.LOG_BATCH_BYTES, flushIntervalMs: env.LOG_FLUSH_INTERVAL_MS };
}

/** ServiceDefinition's type requires `logLevel` whenever the config has no LOG_LEVEL. */
function logLevelOf<C>(service: ServiceDefinition<C>, config: C): string {
  return service.logLevel?.(config) ?? (config as { LOG_LEVEL: string }).LOG_LEVEL;
}
