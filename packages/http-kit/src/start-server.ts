import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@surge/logger';
import type { HttpApp } from './create-app';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Graceful stop: readiness false, stop accepting, let in-flight requests finish, then run cleanups. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  port: number;
  host: string;
  logger: Logger;
  /** How long in-flight requests may take after a stop begins. */
  graceMs?: number;
  /** How long readiness reports down before the listener closes (lets load balancers notice). */
  drainDelayMs?: number;
  /** Released after the server has stopped, in reverse order (consumers, pools, clients). */
  cleanups?: Array<() => Promise<unknown>>;
}

export async function startServer(http: HttpApp, options: StartServerOptions): Promise<RunningServer> {
  const server = createServer(http.app);
  // Slightly above typical load-balancer idle timeouts, so the client side closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      http.lifecycle.ready = false;
      if (options.drainDelayMs) await delay(options.drainDelayMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const graceMs = options.graceMs ?? 10_000;
      const timedOut = await Promise.race([closed.then(() => false), delay(graceMs).then(() => true)]);
      if (timedOut) {
        options.logger.warn({ graceMs }, 'in-flight requests did not finish in time; closing connections');
        server.closeAllConnections();
      }
      for (const cleanup of [...(options.cleanups ?? [])].reverse()) {
        await cleanup().catch((error: unknown) => options.logger.warn({ err: error }, 'cleanup failed'));
      }
    })();
    return stopping;
  };
  return { server, port, url, stop };
}

/**
 * SIGTERM and SIGINT stop the server gracefully, then the process exits. A second
 * signal exits at once.
 */
export function stopOnSignals(running: RunningServer, logger: Logger): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(1);
    received = true;
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
