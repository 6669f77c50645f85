import { stopOnSignals, type RunningServer } from '@surge/http-kit';
import { createLogger, type Logger } from '@surge/logger';

/** What runMain and the test harness need to know of a service. */
export interface ServiceDefinition<C extends { LOG_LEVEL: string }, R extends RunningServer = RunningServer> {
  name: string;
  /** Parses and validates the environment, reporting every problem at once. */
  loadConfig(env: Record<string, string | undefined>): C;
  /** Wires and starts the service; tests call it with their own config on port 0. */
  start(config: C, logger: Logger): Promise<R>;
}

/**
 * A service's process: config from `env`, the logger, the start, then a graceful stop on
 * SIGTERM or SIGINT. main.ts calls it with process.env and is the only code reading it.
 */
export function runMain<C extends { LOG_LEVEL: string }>(
  service: ServiceDefinition<C>,
  env: Record<string, string | undefined>,
): void {
  const main = async () => {
    const config = service.loadConfig(env);
    const logger = createLogger({ service: service.name, level: config.LOG_LEVEL });
    const running = await service.start(config, logger);
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
