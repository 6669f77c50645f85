import { Client, Pool } from 'undici';
import type { Loaded, InstanceState, InstanceTarget } from '@surge/http-client';

export interface InstanceConnectionOptions {
  /** Concurrent connections per instance per gateway replica. */
  connections: number;
  connectTimeoutMs: number;
}

/**
 * One instance of an upstream: a keep-alive undici Pool for proxied traffic, a single
 * connection of its own for health probes, the requests in flight (for the balancer)
 * and what the gateway believes about its health.
 *
 * Probes have their own connection because, on the shared pool, they would queue
 * behind proxied requests exactly when the instance is busiest, time out, and take a
 * loaded but working instance out of rotation: at peak, that cascades.
 */
export class UpstreamInstance implements Loaded {
  inflight = 0;
  readonly pool: Pool;
  private readonly prober: Client;

  constructor(
    /** `user-3`: shown by GET /health and logged with the address; the address itself is never shown. */
    readonly id: string,
    readonly target: InstanceTarget,
    readonly state: InstanceState,
    options: InstanceConnectionOptions,
  ) {
    const connect = {
      timeout: options.connectTimeoutMs,
      ...(target.servername ? { servername: target.servername } : {}),
    };
    this.pool = new Pool(target.origin, {
      connections: options.connections,
      pipelining: 1,
      // Below the services' own idle timeout (65 s), so the gateway never reuses a
      // connection the service is closing at that moment.
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 30_000,
      connect,
    });
    this.prober = new Client(target.origin, { pipelining: 1, keepAliveTimeout: 10_000, connect });
  }

  get origin(): string {
    return this.target.origin;
  }

  /** True when `path` answers 200 within the budget; any other answer or error is a failed probe. */
  async probe(path: string, timeoutMs: number): Promise<boolean> {
    try {
      const response = await this.prober.request({
        method: 'GET',
        path,
        headers: { accept: 'application/json' },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body.dump();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  }

  /** Lets the requests in flight finish, then closes every connection. */
  async close(): Promise<void> {
    await Promise.allSettled([this.pool.close(), this.prober.close()]);
  }
}
