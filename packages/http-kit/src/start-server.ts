import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@surge/logger';
import { sampleRequestsFirst } from '@surge/telemetry';
import type { HttpApp } from './create-app';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** The admin listener (readiness details, /metrics, /_control): never the public port. */
  adminServer: Server;
  adminPort: number;
  adminUrl: string;
  /** Graceful stop: readiness false, stop accepting, let in-flight requests finish, then run cleanups. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  port: number;
  host: string;
  /**
   * The admin listener's port: ADMIN_PORT, or by default the public port + 1000
   * (adminPortFor), so every service of the native stack has its own.
   */
  adminPort?: number | undefined;
  /** Loopback unless configured (the pod network in Kubernetes, for Prometheus). */
  adminHost?: string | undefined;
  logger: Logger;
  /** How long in-flight requests may take after a stop begins. */
  graceMs?: number;
  /** How long readiness reports down before the listener closes (lets load balancers notice). */
  drainDelayMs?: number;
  /** Released after the server has stopped, in reverse order (consumers, pools, clients). */
  cleanups?: Array<() => Promise<unknown>>;
}

/** Default admin port: the public port + 1000; ephemeral when the public one is (tests). */
export function adminPortFor(port: number, adminPort?: number): number {
  if (adminPort !== undefined) return adminPort;
  return port === 0 ? 0 : port + ADMIN_PORT_DISTANCE;
}

export const ADMIN_PORT_DISTANCE = 1000;
export const DEFAULT_ADMIN_HOST = '127.0.0.1';

export async function startServer(http: HttpApp, options: StartServerOptions): Promise<RunningServer> {
  const server = createServer(http.serverOptions ?? {}, http.listener ?? http.app);
  // Tracing decides each request's sampling before the HTTP instrumentation: an unsampled
  // request costs a context holding its parent and nothing else (packages/telemetry).
  sampleRequestsFirst(server);
  // Slightly above typical load-balancer idle timeouts, so the client side closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await listen(server, options.port, options.host);
  const port = (server.address() as AddressInfo).port;
  const url = urlOf(options.host, port);
  const adminHost = options.adminHost ?? DEFAULT_ADMIN_HOST;
  const adminServer = createServer(http.admin);
  try {
    await listen(adminServer, adminPortFor(options.port, options.adminPort), adminHost);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const adminPort = (adminServer.address() as AddressInfo).port;
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
      // Last to go, so metrics can be scraped and readiness read while draining.
      await new Promise<void>((resolve) => {
        adminServer.close(() => resolve());
        adminServer.closeAllConnections();
      });
      for (const cleanup of [...(options.cleanups ?? [])].reverse()) {
        await cleanup().catch((error: unknown) => options.logger.warn({ err: error }, 'cleanup failed'));
      }
    })();
    return stopping;
  };
  return { server, port, url, adminServer, adminPort, adminUrl: urlOf(adminHost, adminPort), stop };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
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
