import type { ServiceClient } from '@surge/http-client';
import type { Logger } from '@surge/logger';
import { UPSTREAM_NAMES, type UpstreamName } from '../domain/route-table';

export type UpstreamState = 'up' | 'down' | 'not-configured';

export interface HealthSummary {
  status: 'up' | 'down';
  upstreams: Record<UpstreamName, UpstreamState>;
}

/**
 * Asks every configured upstream's `/health/ready` at once. Concurrent callers share
 * one round of checks, so a burst of `GET /health` cannot multiply into a burst on
 * every service.
 */
export class UpstreamHealth {
  private inflight: Promise<HealthSummary> | undefined;

  constructor(
    private readonly clients: ReadonlyMap<UpstreamName, ServiceClient>,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  summary(): Promise<HealthSummary> {
    this.inflight ??= this.check().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async check(): Promise<HealthSummary> {
    const states = await Promise.all(
      UPSTREAM_NAMES.map(async (name) => [name, await this.probe(name)] as const),
    );
    const upstreams = Object.fromEntries(states) as Record<UpstreamName, UpstreamState>;
    const status = states.every(([, state]) => state !== 'down') ? 'up' : 'down';
    return { status, upstreams };
  }

  private async probe(name: UpstreamName): Promise<UpstreamState> {
    const client = this.clients.get(name);
    if (!client) return 'not-configured';
    try {
      const response = await client.call({ path: '/health/ready', timeoutMs: this.timeoutMs });
      if (response.status === 200) return 'up';
      this.logger.warn({ upstream: name, status: response.status }, 'upstream not ready');
    } catch (error) {
      this.logger.warn({ err: error, upstream: name }, 'upstream health check failed');
    }
    return 'down';
  }
}
