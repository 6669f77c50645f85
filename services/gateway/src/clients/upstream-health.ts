import type { InstanceCondition } from '@surge/http-client';
import { UPSTREAM_NAMES, type UpstreamName } from '../domain/route-table';
import type { UpstreamPools } from './upstream-pools';

export type UpstreamStatus = 'up' | 'down' | 'not-configured';

export interface InstanceSummary {
  /** `user-2`: the id the gateway's logs pair with the instance's address. */
  id: string;
  state: InstanceCondition;
  /** Only with HEALTH_SHOW_INSTANCE_ADDRESSES: the contract keeps internal addresses out of responses. */
  address?: string;
}

export interface UpstreamSummary {
  status: UpstreamStatus;
  instances: InstanceSummary[];
}

export interface HealthSummary {
  status: 'up' | 'down';
  upstreams: Record<UpstreamName, UpstreamSummary>;
}

/**
 * What the gateway currently believes about every upstream, from its active health
 * checks and passive ejections: the same view the balancer routes by, so GET /health
 * costs no probe and a burst of it cannot turn into a burst on every service. An
 * upstream is up while at least one instance is healthy.
 */
export function summariseUpstreams(pools: UpstreamPools, showAddresses: boolean): HealthSummary {
  const entries = UPSTREAM_NAMES.map((name): [UpstreamName, UpstreamSummary] => {
    const group = pools.get(name);
    if (!group) return [name, { status: 'not-configured', instances: [] }];
    const instances = group.snapshot().map((instance): InstanceSummary => ({
      id: instance.id,
      state: instance.state,
      ...(showAddresses ? { address: instance.origin } : {}),
    }));
    const up = instances.some((instance) => instance.state === 'healthy');
    return [name, { status: up ? 'up' : 'down', instances }];
  });
  const upstreams = Object.fromEntries(entries) as Record<UpstreamName, UpstreamSummary>;
  const status = entries.every(([, summary]) => summary.status !== 'down') ? 'up' : 'down';
  return { status, upstreams };
}
