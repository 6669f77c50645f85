import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import type { Logger } from '@surge/logger';
import {
  endpointKey,
  instanceTarget,
  parseAddressFile,
  toAddressEntry,
  toEndpoint,
  type AddressEntry,
  type InstanceTarget,
  type UpstreamEndpoint,
} from './upstream-addresses';

/** Every address a DNS name stands for; injectable so tests need no DNS server. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

/** The OS resolver (what `/etc/hosts`, docker's DNS and Kubernetes' CoreDNS answer), A and AAAA. */
export const resolveWithSystemDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true })).map((entry) => entry.address);

/** How often the gateway and the service clients look again (DNS and addresses files alike). */
export const DEFAULT_REFRESH_INTERVAL_MS = 5_000;

/**
 * Turns an upstream's configured URLs into the instances behind them, each time it is
 * asked: literal addresses as given, DNS names resolved, addresses files read. What
 * cannot be read right now keeps its last known instances: a resolver hiccup or a file
 * being replaced must not empty an upstream that is still serving. One that was never
 * read has no instances yet (a compose stack where the caller started first), and calls
 * to it fail as unavailable until it has.
 *
 * An addresses file lists the instances that should run, not the ones that answer: a
 * crashed instance stays listed, and finding out that it does not answer is the job of
 * health checks and ejection. Only a deliberate change (scaling) rewrites the file.
 */
export class AddressSource {
  private readonly entries: AddressEntry[];
  private readonly known = new Map<string, InstanceTarget[]>();
  private readonly failing = new Set<string>();
  private readonly invalidSeen = new Set<string>();

  constructor(
    private readonly upstream: string,
    urls: readonly string[],
    private readonly resolveHost: ResolveHost,
    private readonly logger: Logger | undefined,
    private readonly readText: (path: string) => Promise<string> = (path) => readFile(path, 'utf8'),
  ) {
    this.entries = urls.map(toAddressEntry);
  }

  /** True when looking again can change anything (a DNS name or an addresses file). */
  get dynamic(): boolean {
    return this.entries.some((entry) => entry.kind === 'file' || entry.endpoint.resolve);
  }

  /** The instances without any lookup, when the list holds only literal addresses; else undefined. */
  staticTargets(): InstanceTarget[] | undefined {
    if (this.dynamic) return undefined;
    return this.entries.map((entry) => instanceTarget((entry as { endpoint: UpstreamEndpoint }).endpoint));
  }

  async discover(): Promise<InstanceTarget[]> {
    const lists = await Promise.all(
      this.entries.map((entry) =>
        entry.kind === 'file' ? this.targetsOfFile(entry.path) : this.targetsOf(entry.endpoint),
      ),
    );
    const unique = new Map(lists.flat().map((target) => [target.origin, target]));
    return [...unique.values()];
  }

  private async targetsOfFile(path: string): Promise<InstanceTarget[]> {
    let text: string;
    try {
      text = await this.readText(path);
    } catch (error) {
      this.warnOnce(`file:${path}`, { err: error, file: path }, 'could not read the addresses file');
      return this.known.get(`file:${path}`) ?? [];
    }
    this.recovered(`file:${path}`, { file: path }, 'addresses file readable again');
    const { urls, invalid } = parseAddressFile(text);
    for (const entry of invalid) {
      if (this.invalidSeen.has(entry)) continue;
      this.invalidSeen.add(entry);
      this.logger?.warn(
        { upstream: this.upstream, file: path, entry },
        'ignoring an entry that is not a URL',
      );
    }
    const lists = await Promise.all(urls.map((url) => this.targetsOf(toEndpoint(url))));
    const targets = lists.flat();
    this.known.set(`file:${path}`, targets);
    return targets;
  }

  private async targetsOf(endpoint: UpstreamEndpoint): Promise<InstanceTarget[]> {
    if (!endpoint.resolve) return [instanceTarget(endpoint)];
    const key = endpointKey(endpoint);
    try {
      const addresses = [...new Set(await this.resolveHost(endpoint.hostname))].sort();
      const targets = addresses.map((address) => instanceTarget(endpoint, address));
      this.known.set(key, targets);
      this.recovered(key, { host: endpoint.hostname }, 'upstream resolves again');
      return targets;
    } catch (error) {
      this.warnOnce(
        key,
        { err: error, host: endpoint.hostname },
        'could not resolve upstream; keeping its last known instances',
      );
      return this.known.get(key) ?? [];
    }
  }

  /** Warn once per outage, not on every refresh. */
  private warnOnce(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.failing.has(key)) return;
    this.failing.add(key);
    this.logger?.warn({ ...fields, upstream: this.upstream }, message);
  }

  private recovered(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.failing.delete(key)) this.logger?.info({ ...fields, upstream: this.upstream }, message);
  }
}
