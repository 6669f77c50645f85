import { stopOnSignals } from '@surge/http-kit';
import { createLogger } from '@surge/logger';
import { loadConfig } from './config';
import { SERVICE_NAME, startStorefront } from './service';

/** Entry point: the only place that reads process.env. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
  const running = await startStorefront(config, logger);
  logger.info({ url: running.url }, 'storefront listening');
  stopOnSignals(running, logger);
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad config): write one JSON line to stderr ourselves.
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', service: SERVICE_NAME, msg: 'failed to start', err: String(error instanceof Error ? error.message : error) })}\n`,
  );
  process.exit(1);
});
