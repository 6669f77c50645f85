/**
 * The few calls of Toxiproxy's HTTP API the stack needs: one proxy per (service,
 * dependency) pair, and toxics on it. https://github.com/Shopify/toxiproxy#http-api
 */
export interface ProxyState {
  name: string;
  /** Where the proxy listens (`127.0.0.1:41234`); services connect here. */
  listen: string;
  /** The real dependency (`127.0.0.1:5432`). */
  upstream: string;
  enabled: boolean;
  toxics: ToxicState[];
}

export interface ToxicState {
  name: string;
  type: 'latency' | 'bandwidth' | 'timeout' | 'reset_peer' | 'slow_close' | 'slicer' | 'limit_data';
  stream: 'upstream' | 'downstream';
  toxicity?: number;
  attributes: Record<string, number>;
}

export class ToxiproxyApi {
  constructor(readonly url: string) {}

  async proxies(): Promise<Record<string, ProxyState>> {
    return (await this.call('GET', '/proxies')) as Record<string, ProxyState>;
  }

  async proxy(name: string): Promise<ProxyState | undefined> {
    return (await this.call('GET', `/proxies/${encodeURIComponent(name)}`, undefined, [404])) as
      ProxyState | undefined;
  }

  /**
   * The proxy `name` to `upstream`, made if missing (on a free port Toxiproxy picks),
   * pointed at `upstream` if it moved. Its toxics are kept: a service restarted during a
   * partition is still partitioned.
   */
  async ensureProxy(name: string, upstream: string): Promise<ProxyState> {
    const existing = await this.proxy(name);
    if (!existing)
      return (await this.call('POST', '/proxies', {
        name,
        listen: '127.0.0.1:0',
        upstream,
        enabled: true,
      })) as ProxyState;
    if (existing.upstream === upstream && existing.enabled) return existing;
    return (await this.call('POST', `/proxies/${encodeURIComponent(name)}`, {
      upstream,
      enabled: true,
    })) as ProxyState;
  }

  async addToxic(proxy: string, toxic: Omit<ToxicState, 'toxicity'>): Promise<void> {
    await this.removeToxic(proxy, toxic.name);
    await this.call('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, { ...toxic, toxicity: 1 });
  }

  async removeToxic(proxy: string, toxic: string): Promise<void> {
    await this.call(
      'DELETE',
      `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`,
      undefined,
      [404],
    );
  }

  /** Every toxic of the proxy removed: traffic flows normally again. */
  async heal(proxy: string): Promise<void> {
    const state = await this.proxy(proxy);
    for (const toxic of state?.toxics ?? []) await this.removeToxic(proxy, toxic.name);
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
    tolerated: number[] = [],
  ): Promise<unknown> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    if (tolerated.includes(res.status)) return undefined;
    if (res.status >= 300)
      throw new Error(`Toxiproxy ${method} ${path} answered ${res.status}: ${text.trim()}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}
