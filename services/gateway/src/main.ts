import { stopOnSignals } from '@surge/http-kit';
import { createLogger } from '@surge/logger';
import { SERVICE_NAME, startGateway } from './app';
import { loadConfig } from './config';

/** The process entry point and the only code that reads process.env. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const running = await startGateway(config, { logger });
  stopOnSignals(running, logger);
}

main().catch((error: unknown) => {
  // Config may be what failed, so this logger cannot depend on it. Exit outright: a
  // half-started gateway may hold sockets (Redis reconnecting) that keep the process alive.
  createLogger({ service: SERVICE_NAME }).fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
});
