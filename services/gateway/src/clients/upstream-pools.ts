import type { Logger } from '@surge/logger';
import {
  type EjectionPolicy,
  type RandomSource,
  type HealthCheckPolicy,
  AddressSource,
  type ResolveHost,
} from '@surge/http-client';
import type { UpstreamName } from '../domain/route-table';
import type { UpstreamEvents } from './upstream-events';
import { UpstreamGroup } from './upstream-group';
import type { InstanceConnectionOptions } from './upstream-instance';

export interface UpstreamPoolsOptions {
  /** Per upstream, the URLs of `<NAME>_SERVICE_URL`; undefined: not configured. */
  urls: Readonly<Record<UpstreamName, readonly string[] | undefined>>;
  connection: InstanceConnectionOptions;
  health: HealthCheckPolicy & { path: string; intervalMs: number; timeoutMs: number };
  ejection: EjectionPolicy;
  resolveIntervalMs: number;
  resolveHost: ResolveHost;
  events: UpstreamEvents;
  logger: Logger;
  random?: RandomSource;
}

interface Upstream {
  group: UpstreamGroup;
  discovery: AddressSource;
}

/**
 * Every configured upstream and its instances, kept current by two loops: DNS
 * re-resolution (instances come and go) and active health checks (instances fail and
 * recover). An upstream without a URL has no group: its routes answer 503 until it is
 * configured.
 */
export class UpstreamPools {
  private readonly upstreams = new Map<UpstreamName, Upstream>();
  private readonly timers: NodeJS.Timeout[] = [];
  private resolving = false;
  private probing = false;
  private closed = false;

  constructor(private readonly options: UpstreamPoolsOptions) {
    for (const [name, urls] of Object.entries(options.urls) as Array<[UpstreamName, string[] | undefined]>) {
      if (!urls || urls.length === 0) continue;
      const group = new UpstreamGroup({
        name,
        connection: options.connection,
        health: options.health,
        ejection: options.ejection,
        events: options.events,
        logger: options.logger,
        ...(options.random ? { random: options.random } : {}),
      });
      const discovery = new AddressSource(name, urls, options.resolveHost, options.logger);
      this.upstreams.set(name, { group, discovery });
    }
  }

  /** Resolves every upstream once (the gateway starts with its instances known), then starts both loops. */
  async start(): Promise<void> {
    await this.resolveAll(true);
    // Timers do not keep the process alive: the server does, and stop() clears them.
    this.timers.push(setInterval(() => void this.resolveAll(false), this.options.resolveIntervalMs).unref());
    this.timers.push(setInterval(() => void this.probeAll(), this.options.health.intervalMs).unref());
    void this.probeAll();
  }

  get(name: UpstreamName): UpstreamGroup | undefined {
    return this.upstreams.get(name)?.group;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all([...this.upstreams.values()].map(({ group }) => group.close()));
  }

  /** A slow resolver or probe must not stack up rounds: a round still running skips the next tick. */
  private async resolveAll(initial: boolean): Promise<void> {
    if (this.resolving) return;
    this.resolving = true;
    try {
      await Promise.all(
        [...this.upstreams.values()]
          .filter(({ discovery }) => initial || discovery.dynamic)
          .map(async ({ group, discovery }) => {
            const targets = await discovery.discover();
            // A round that was resolving while the gateway stopped must not open new pools.
            if (!this.closed) group.update(targets, initial);
          }),
      );
    } finally {
      this.resolving = false;
    }
  }

  private async probeAll(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const { path, timeoutMs } = this.options.health;
    try {
      await Promise.all([...this.upstreams.values()].map(({ group }) => group.probeAll(path, timeoutMs)));
    } finally {
      this.probing = false;
    }
  }
}
