import { Counter, Gauge, type Registry } from 'prom-client';
import type { InstanceCondition } from '@surge/http-client';
import { UPSTREAM_NAMES, type UpstreamName } from '../domain/route-table';
import type { UpstreamEvents } from './upstream-events';
import type { UpstreamPools } from './upstream-pools';

const CONDITIONS: readonly InstanceCondition[] = ['healthy', 'ejected', 'unhealthy'];

/**
 * `gateway_upstream_instances{upstream,state}`, read from the pools at scrape time,
 * and the counters of ejections and retries, fed by the upstream machinery as events.
 */
export class UpstreamMetrics implements UpstreamEvents {
  private readonly ejections: Counter<'upstream'>;
  private readonly retries: Counter<'upstream'>;
  private pools: UpstreamPools | undefined;

  constructor(registry: Registry) {
    this.ejections = new Counter({
      name: 'gateway_upstream_ejections_total',
      help: 'Upstream instances taken out of rotation after consecutive failed requests',
      labelNames: ['upstream'],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'gateway_upstream_retries_total',
      help: 'Requests sent to a second instance after the first failed to connect',
      labelNames: ['upstream'],
      registers: [registry],
    });
    const currentPools = () => this.pools;
    new Gauge({
      name: 'gateway_upstream_instances',
      help: 'Known upstream instances by state (healthy, ejected, unhealthy)',
      labelNames: ['upstream', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const name of UPSTREAM_NAMES) {
          const group = currentPools()?.get(name);
          if (!group) continue;
          const states = group.snapshot().map((instance) => instance.state);
          for (const state of CONDITIONS)
            this.set({ upstream: name, state }, states.filter((each) => each === state).length);
        }
      },
    });
  }

  /** The pools are built with this object as their event sink, so they are handed over afterwards. */
  watch(pools: UpstreamPools): void {
    this.pools = pools;
    // Zero from the start, so rate() and alerts see the series before the first event.
    for (const upstream of UPSTREAM_NAMES) {
      if (!pools.get(upstream)) continue;
      this.ejections.inc({ upstream }, 0);
      this.retries.inc({ upstream }, 0);
    }
  }

  instanceEjected(upstream: UpstreamName): void {
    this.ejections.inc({ upstream });
  }

  requestRetried(upstream: UpstreamName): void {
    this.retries.inc({ upstream });
  }
}
