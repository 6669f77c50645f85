import type { Logger } from '@surge/logger';
import {
  type EjectionPolicy,
  mayEject,
  pickLeastLoadedOfTwo,
  type RandomSource,
  InstanceState,
  type HealthCheckPolicy,
  type InstanceCondition,
  type InstanceTarget,
} from '@surge/http-client';
import type { UpstreamName } from '../domain/route-table';
import type { UpstreamEvents } from './upstream-events';
import { UpstreamInstance, type InstanceConnectionOptions } from './upstream-instance';

export interface UpstreamGroupOptions {
  name: UpstreamName;
  connection: InstanceConnectionOptions;
  health: HealthCheckPolicy;
  ejection: EjectionPolicy;
  events: UpstreamEvents;
  logger: Logger;
  random?: RandomSource;
}

export interface InstanceSnapshot {
  id: string;
  origin: string;
  state: InstanceCondition;
}

/**
 * The instances of one upstream: which exist (kept in step with discovery), which take
 * traffic, and which one gets the next request.
 */
export class UpstreamGroup {
  private readonly instances = new Map<string, UpstreamInstance>();
  private nextId = 1;

  constructor(private readonly options: UpstreamGroupOptions) {}

  get name(): UpstreamName {
    return this.options.name;
  }

  /** Instances known right now, in whatever state. */
  get size(): number {
    return this.instances.size;
  }

  /**
   * Makes the instance set equal to `targets`. Instances known at start are trusted
   * until they fail (so a restart of the gateway does not wait for probes); instances
   * that appear later must pass their health checks first, because a replica that
   * was just scaled up is often listed by DNS before it listens.
   */
  update(targets: readonly InstanceTarget[], trustNew: boolean): void {
    const wanted = new Map(targets.map((target) => [target.origin, target]));
    for (const [origin, instance] of this.instances) {
      if (wanted.has(origin)) continue;
      this.instances.delete(origin);
      this.options.logger.info(this.describe(instance), 'upstream instance removed');
      // Graceful: requests still running on it finish; nobody picks it any more.
      void instance.close();
    }
    for (const target of wanted.values()) {
      if (this.instances.has(target.origin)) continue;
      const state = new InstanceState(this.options.health, this.options.ejection, trustNew);
      const instance = new UpstreamInstance(
        `${this.name}-${this.nextId++}`,
        target,
        state,
        this.options.connection,
      );
      this.instances.set(target.origin, instance);
      this.options.logger.info({ ...this.describe(instance), trusted: trustNew }, 'upstream instance added');
    }
  }

  /**
   * The instance for the next request, other than `exclude` (the one a retry moves
   * away from). Fails open: when no instance is healthy, every instance is a
   * candidate, because a probe that fails for a reason of its own (a network rule, a
   * slow readiness check) must not black-hole a service that could still answer; the
   * worst case is the 503 the client would have had anyway.
   */
  pick(exclude?: UpstreamInstance): UpstreamInstance | undefined {
    const now = Date.now();
    const others = [...this.instances.values()].filter((instance) => instance !== exclude);
    const healthy = others.filter((instance) => instance.state.condition(now) === 'healthy');
    return pickLeastLoadedOfTwo(healthy.length > 0 ? healthy : others, this.options.random);
  }

  recordSuccess(instance: UpstreamInstance): void {
    instance.state.recordRequestSuccess();
  }

  /** A connection failure or timeout on `instance`; ejects it once the streak is long enough and the cap allows. */
  recordFailure(instance: UpstreamInstance): void {
    if (!instance.state.recordRequestFailure()) return;
    const now = Date.now();
    // Reached while failing open: it is out already, and its clock keeps running.
    if (instance.state.condition(now) !== 'healthy') return;
    const conditions = [...this.instances.values()].map(
      (other) => [other, other.state.condition(now)] as const,
    );
    const counts = {
      total: conditions.length,
      ejected: conditions.filter(([, condition]) => condition === 'ejected').length,
      othersAvailable: conditions.filter(
        ([other, condition]) => other !== instance && condition === 'healthy',
      ).length,
    };
    if (!mayEject(counts, this.options.ejection)) return;
    const durationMs = instance.state.eject(now);
    this.options.events.instanceEjected(this.name);
    this.options.logger.warn({ ...this.describe(instance), durationMs }, 'upstream instance ejected');
  }

  recordRetry(): void {
    this.options.events.requestRetried(this.name);
  }

  /** One round of active health checks on every instance, at once. */
  async probeAll(path: string, timeoutMs: number): Promise<void> {
    await Promise.all(
      [...this.instances.values()].map(async (instance) => {
        const passed = await instance.probe(path, timeoutMs);
        const transition = instance.state.recordProbe(passed);
        if (transition === 'became-unhealthy')
          this.options.logger.warn(this.describe(instance), 'upstream instance failed its health checks');
        if (transition === 'became-healthy')
          this.options.logger.info(this.describe(instance), 'upstream instance passed its health checks');
      }),
    );
  }

  snapshot(): InstanceSnapshot[] {
    const now = Date.now();
    return [...this.instances.values()].map((instance) => ({
      id: instance.id,
      origin: instance.origin,
      state: instance.state.condition(now),
    }));
  }

  async close(): Promise<void> {
    const all = [...this.instances.values()];
    this.instances.clear();
    await Promise.all(all.map((instance) => instance.close()));
  }

  private describe(instance: UpstreamInstance): Record<string, string> {
    return { upstream: this.name, instance: instance.id, address: instance.origin };
  }
}
