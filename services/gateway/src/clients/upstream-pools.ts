import { Pool } from 'undici';
import type { UpstreamName } from '../domain/route-table';

export interface UpstreamTarget {
  name: UpstreamName;
  /** `http://host:port`; only for connecting and for rewriting Location, never shown to clients. */
  origin: string;
  pool: Pool;
}

export interface UpstreamPoolOptions {
  /** Concurrent connections per upstream per gateway instance. */
  connections: number;
  connectTimeoutMs: number;
}

/**
 * One keep-alive undici Pool per configured upstream. An upstream without a URL has no
 * pool: its routes answer 503 until it is configured.
 */
export class UpstreamPools {
  private readonly targets = new Map<UpstreamName, UpstreamTarget>();

  constructor(urls: Readonly<Record<UpstreamName, string | undefined>>, options: UpstreamPoolOptions) {
    for (const [name, url] of Object.entries(urls) as Array<[UpstreamName, string | undefined]>) {
      if (!url) continue;
      const origin = new URL(url).origin;
      const pool = new Pool(origin, {
        connections: options.connections,
        pipelining: 1,
        // Below the services' own idle timeout (65 s), so the gateway never reuses a
        // connection the service is closing at that moment.
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 30_000,
        connect: { timeout: options.connectTimeoutMs },
      });
      this.targets.set(name, { name, origin, pool });
    }
  }

  get(name: UpstreamName): UpstreamTarget | undefined {
    return this.targets.get(name);
  }

  /** Lets in-flight proxied requests finish, then closes every connection. */
  async close(): Promise<void> {
    await Promise.all([...this.targets.values()].map((target) => target.pool.close()));
  }
}
