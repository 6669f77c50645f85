import { ToxiproxyApi } from '../native/toxiproxy-api';
import type { StackContext } from './service-specs';

/** `order.postgres`: the proxy that carries only the order service's Postgres traffic. */
export const proxyName = (service: string, dependency: string): string => `${service}.${dependency}`;

/**
 * With network faults on, a service reaches each dependency through a Toxiproxy proxy of
 * its own, so `npm run stack -- partition order postgres` cuts that pair and nothing else.
 * Rewrites the addresses in the service's environment: DATABASE_URL (postgres),
 * REDIS_URL (redis), and every other service's URL given as one http address. The native
 * stack gives services `file://` addresses files instead (so they follow `npm run stack --
 * scale`), which are left as they are: service-to-service faults come from `npm run stack --
 * fault` (latency, hang, error-rate) rather than from proxies. Kafka is left direct: a broker answers clients with the address
 * it advertises, so a client that bootstrapped through a proxy would then connect to the
 * broker directly (docs/chaos.md says more).
 */
export async function routeThroughProxies(
  service: string,
  env: Record<string, string>,
  ctx: StackContext,
): Promise<Record<string, string>> {
  if (!ctx.toxiproxyUrl) return env;
  const api = new ToxiproxyApi(ctx.toxiproxyUrl);
  const routed = { ...env };
  for (const [key, value] of Object.entries(env)) {
    const dependency = dependencyOf(key, value, ctx);
    if (!dependency) continue;
    const url = new URL(value);
    const proxy = await api.ensureProxy(proxyName(service, dependency), url.host);
    url.host = proxy.listen;
    // URL keeps a trailing slash on bare origins; service URLs are given without one.
    routed[key] = value.endsWith('/') ? url.toString() : url.toString().replace(/\/$/, '');
  }
  return routed;
}

function dependencyOf(key: string, value: string, ctx: StackContext): string | undefined {
  if (!value) return undefined;
  if (key === 'DATABASE_URL') return 'postgres';
  if (key === 'REDIS_URL') return 'redis';
  return Object.entries(ctx.urls).find(([, url]) => url === value)?.[0];
}

/** Every dependency a running stack has a proxy for, by service: for messages and `heal`. */
export async function proxiesByService(toxiproxyUrl: string): Promise<Map<string, string[]>> {
  const byService = new Map<string, string[]>();
  for (const name of Object.keys(await new ToxiproxyApi(toxiproxyUrl).proxies()).sort()) {
    const [service, dependency] = splitProxyName(name);
    if (!service || !dependency) continue;
    byService.set(service, [...(byService.get(service) ?? []), dependency]);
  }
  return byService;
}

export function splitProxyName(name: string): [string | undefined, string | undefined] {
  const dot = name.indexOf('.');
  return dot < 0 ? [undefined, undefined] : [name.slice(0, dot), name.slice(dot + 1)];
}
