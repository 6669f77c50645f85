import { Pool } from 'undici';
import type { Logger } from '@surge/logger';
import {
  AddressSource,
  DEFAULT_REFRESH_INTERVAL_MS,
  resolveWithSystemDns,
  type ResolveHost,
} from './upstreams/address-source';
import { mayEject, type EjectionPolicy } from './upstreams/ejection-policy';
import { pickLeastLoadedOfTwo } from './upstreams/instance-balancer';
import { InstanceState } from './upstreams/instance-state';
import { splitUrlList, type InstanceTarget } from './upstreams/upstream-addresses';

/**
 * A service client's passive ejection: a refused or reset connection is definite, so two
 * in a row take an instance out for a few seconds, and never more than half of them.
 */
export const DEFAULT_CLIENT_EJECTION: EjectionPolicy = {
  consecutiveFailures: 2,
  baseMs: 5_000,
  maxMs: 60_000,
  maxEjectedPercent: 50,
};

/** Clients do not probe: the state machine's probe side stays at "passes". */
const NO_PROBES = { unhealthyThreshold: 1, healthyThreshold: 1 };

export interface ServiceInstancesOptions {
  name: string;
  /** `<NAME>_SERVICE_URL`: a URL, a comma list, DNS names, `file://` addresses files. */
  baseUrl: string;
  connections: number;
  refreshIntervalMs?: number;
  ejection?: EjectionPolicy;
  resolveHost?: ResolveHost;
  logger?: Logger;
}

/** One instance of the upstream: its keep-alive pool, its load and what the client learnt about it. */
export interface ClientInstance {
  readonly origin: string;
  readonly pool: Pool;
  inflight: number;
  readonly state: InstanceState;
}

/**
 * The instances a ServiceClient spreads its calls over, kept in step with the address
 * source (the gateway's: same URLs, same refresh cadence). A list of literal addresses is
 * known at once; DNS names and addresses files are read before the first call and every
 * `refreshIntervalMs` after it.
 */
export class ServiceInstances {
  private readonly instances = new Map<string, ClientInstance>();
  private readonly source: AddressSource;
  private readonly ejection: EjectionPolicy;
  private readonly firstRead: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private refreshing = false;
  private closed = false;

  constructor(private readonly options: ServiceInstancesOptions) {
    this.ejection = options.ejection ?? DEFAULT_CLIENT_EJECTION;
    this.source = new AddressSource(
      options.name,
      splitUrlList(options.baseUrl),
      options.resolveHost ?? resolveWithSystemDns,
      options.logger,
    );
    const fixed = this.source.staticTargets();
    if (fixed) {
      this.update(fixed);
      return;
    }
    this.firstRead = this.refresh();
    const interval = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
    // Does not keep the process alive; close() clears it.
    this.timer = setInterval(() => void this.refresh(), interval).unref();
  }

  get size(): number {
    return this.instances.size;
  }

  /**
   * The instance for the next attempt, other than `exclude`: power of two choices over
   * those not ejected, or over all of them when every one is (fail open: the worst case
   * is the failure the caller would have had anyway).
   */
  async pick(exclude?: ClientInstance): Promise<ClientInstance | undefined> {
    if (this.firstRead) await this.firstRead;
    const now = Date.now();
    const others = [...this.instances.values()].filter((instance) => instance !== exclude);
    const healthy = others.filter((instance) => instance.state.condition(now) === 'healthy');
    return pickLeastLoadedOfTwo(healthy.length > 0 ? healthy : others);
  }

  recordSuccess(instance: ClientInstance): void {
    instance.state.recordRequestSuccess();
  }

  /** A connection failure or timeout on `instance`: ejects it once the streak is long enough and the cap allows. */
  recordFailure(instance: ClientInstance): void {
    if (!instance.state.recordRequestFailure()) return;
    const now = Date.now();
    if (instance.state.condition(now) !== 'healthy') return;
    const all = [...this.instances.values()];
    const counts = {
      total: all.length,
      ejected: all.filter((other) => other.state.condition(now) === 'ejected').length,
      othersAvailable: all.filter((other) => other !== instance && other.state.condition(now) === 'healthy')
        .length,
    };
    if (!mayEject(counts, this.ejection)) return;
    const durationMs = instance.state.eject(now);
    this.options.logger?.warn(
      { upstream: this.options.name, address: instance.origin, durationMs },
      'upstream instance ejected by the client',
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const all = [...this.instances.values()];
    this.instances.clear();
    await Promise.allSettled(all.map((instance) => instance.pool.close()));
  }

  /** A refresh still running skips the next tick, so a slow resolver cannot stack rounds up. */
  private async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const targets = await this.source.discover();
      if (!this.closed) this.update(targets);
    } finally {
      this.refreshing = false;
    }
  }

  /** Makes the instance set equal to `targets`; a removed instance's calls in flight finish. */
  private update(targets: readonly InstanceTarget[]): void {
    const wanted = new Map(targets.map((target) => [target.origin, target]));
    for (const [origin, instance] of this.instances) {
      if (wanted.has(origin)) continue;
      this.instances.delete(origin);
      this.options.logger?.info(
        { upstream: this.options.name, address: origin },
        'upstream instance removed',
      );
      void instance.pool.close().catch(() => undefined);
    }
    for (const target of wanted.values()) {
      if (this.instances.has(target.origin)) continue;
      const pool = new Pool(target.origin, {
        connections: this.options.connections,
        keepAliveTimeout: 10_000,
        pipelining: 1,
        ...(target.servername ? { connect: { servername: target.servername } } : {}),
      });
      const state = new InstanceState(NO_PROBES, this.ejection, true);
      this.instances.set(target.origin, { origin: target.origin, pool, inflight: 0, state });
      if (this.source.dynamic)
        this.options.logger?.info(
          { upstream: this.options.name, address: target.origin },
          'upstream instance added',
        );
    }
  }
}
