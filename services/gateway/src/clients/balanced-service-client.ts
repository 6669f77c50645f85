import { ServiceClient, type CallOptions, type CallResult } from '@surge/http-client';
import { DependencyError } from '@surge/errors';
import type { UpstreamGroup } from './upstream-group';
import type { UpstreamInstance } from './upstream-instance';

/**
 * A ServiceClient whose calls go to a healthy instance of an upstream, and to a second
 * one when the first fails. The gateway's one JSON call, the user service's JWKS,
 * uses it: with one fixed URL, a single dead user instance would leave the gateway
 * unable to verify any token.
 *
 * A subclass because RemoteJwks (packages/auth) is typed on the ServiceClient class;
 * the pool the base class opens for the configured URL is never used (undici
 * connects lazily, so it costs nothing).
 */
export class BalancedServiceClient extends ServiceClient {
  private readonly perInstance = new Map<string, ServiceClient>();

  constructor(
    private readonly group: UpstreamGroup,
    configuredUrl: string,
    private readonly callTimeoutMs: number,
  ) {
    super({ name: group.name, baseUrl: configuredUrl, timeoutMs: callTimeoutMs, connections: 1 });
  }

  override async call<T = unknown>(options: CallOptions): Promise<CallResult<T>> {
    const first = this.group.pick();
    if (!first) throw new DependencyError(this.group.name, `no instance of ${this.group.name} is known`);
    try {
      return await this.clientFor(first).call<T>(options);
    } catch (error) {
      const second = this.group.pick(first);
      if (!second) throw error;
      return this.clientFor(second).call<T>(options);
    }
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), ...[...this.perInstance.values()].map((client) => client.close())]);
    this.perInstance.clear();
  }

  private clientFor(instance: UpstreamInstance): ServiceClient {
    this.forgetRemovedInstances();
    let client = this.perInstance.get(instance.origin);
    if (!client) {
      client = new ServiceClient({
        name: this.group.name,
        baseUrl: instance.origin,
        timeoutMs: this.callTimeoutMs,
        connections: 2,
      });
      this.perInstance.set(instance.origin, client);
    }
    return client;
  }

  private forgetRemovedInstances(): void {
    const current = new Set(this.group.snapshot().map((instance) => instance.origin));
    for (const [origin, client] of this.perInstance) {
      if (current.has(origin)) continue;
      this.perInstance.delete(origin);
      void client.close();
    }
  }
}
