import { lookup } from 'node:dns/promises';
import type { Logger } from '@surge/logger';
import type { UpstreamName } from '../domain/route-table';
import { instanceTarget, type InstanceTarget, type UpstreamEndpoint } from '../domain/upstream-addresses';

/** Every address a DNS name stands for; injectable so tests need no DNS server. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

/** The OS resolver (what `/etc/hosts`, docker's DNS and Kubernetes' CoreDNS answer), A and AAAA. */
export const resolveWithSystemDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true })).map((entry) => entry.address);

/**
 * Turns an upstream's endpoints into the instances behind them. A DNS name that fails
 * to resolve keeps its last known addresses: a resolver hiccup must not empty an
 * upstream that is still serving. One that never resolved has no instances yet (a
 * compose stack where the gateway started first), and its routes answer 503 until it does.
 */
export class InstanceDiscovery {
  private readonly known = new Map<UpstreamEndpoint, InstanceTarget[]>();
  private readonly failing = new Set<UpstreamEndpoint>();

  constructor(
    private readonly upstream: UpstreamName,
    private readonly endpoints: readonly UpstreamEndpoint[],
    private readonly resolveHost: ResolveHost,
    private readonly logger: Logger,
  ) {}

  /** True when some endpoint is a DNS name, so re-resolving can change anything. */
  get dynamic(): boolean {
    return this.endpoints.some((endpoint) => endpoint.resolve);
  }

  async discover(): Promise<InstanceTarget[]> {
    const lists = await Promise.all(this.endpoints.map((endpoint) => this.targetsOf(endpoint)));
    const unique = new Map(lists.flat().map((target) => [target.origin, target]));
    return [...unique.values()];
  }

  private async targetsOf(endpoint: UpstreamEndpoint): Promise<InstanceTarget[]> {
    if (!endpoint.resolve) return [instanceTarget(endpoint)];
    try {
      const addresses = [...new Set(await this.resolveHost(endpoint.hostname))].sort();
      const targets = addresses.map((address) => instanceTarget(endpoint, address));
      this.known.set(endpoint, targets);
      if (this.failing.delete(endpoint))
        this.logger.info({ upstream: this.upstream, host: endpoint.hostname }, 'upstream resolves again');
      return targets;
    } catch (error) {
      // Warn once per outage, not on every re-resolution.
      if (!this.failing.has(endpoint)) {
        this.failing.add(endpoint);
        this.logger.warn(
          { err: error, upstream: this.upstream, host: endpoint.hostname },
          'could not resolve upstream; keeping its last known instances',
        );
      }
      return this.known.get(endpoint) ?? [];
    }
  }
}
