import { lifecycle } from '../commands/lifecycle';
import { scale } from '../commands/scale';
import { surgePaths } from '../native/paths';
import { wantedCount } from '../services/instance-control';
import { heal, partition } from '../commands/network';
import type { Sample } from './traffic';

export interface ScenarioContext {
  gateway: string;
  /** The provider simulator's admin listener, where its fault switch is. */
  providerAdminUrl: string;
  /** How long the fault lasts; the figures, shortened only by CHAOS_FAULT_SECONDS. */
  faultSeconds: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** What a client sees while the fault lasts. */
  clientView: string;
  /** Answers the contract allows during this fault; anything else counts as unexpected. */
  allowed(sample: Sample): boolean;
  /** Before any traffic: the topology the fault needs (more instances, say). */
  prepare?(ctx: ScenarioContext): Promise<void>;
  inject(ctx: ScenarioContext): Promise<void>;
  recover(ctx: ScenarioContext): Promise<void>;
  /** After the audit, also when the run failed: the stack as it was before prepare. */
  cleanup?(ctx: ScenarioContext): Promise<void>;
  defaultFaultSeconds: number;
  /** Needs services behind Toxiproxy (`npm run stack -- up --network-faults`). */
  needsNetworkFaults?: boolean;
}

/** No 5xx and always an answer: every failure is a contract answer (202, 402, 409). */
const clean = (sample: Sample) => sample.status > 0 && sample.status < 500;
/** As clean, but a 503 (shed or dependency unavailable, with Retry-After) is allowed too. */
const cleanOr503 = (sample: Sample) => clean(sample) || sample.status === 503;

async function setProviderFaults(
  ctx: ScenarioContext,
  faults: Record<string, unknown> | null,
): Promise<void> {
  const res = await fetch(`${ctx.providerAdminUrl}/_control/faults`, {
    method: faults ? 'PUT' : 'DELETE',
    ...(faults ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) } : {}),
  });
  if (!res.ok) throw new Error(`provider fault control answered ${res.status}`);
}

const run = (verb: 'kill' | 'stop' | 'start' | 'restart', name: string) => lifecycle(verb, [name]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the gateway routes to `count` healthy instances of `upstream` (its GET
 * /health view), then one more address-refresh interval, so the service clients (which
 * re-read the addresses file as often) know every instance too.
 */
export async function waitForHealthyInstances(
  ctx: Pick<ScenarioContext, 'gateway'>,
  upstream: string,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${ctx.gateway}/health`).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as
      { upstreams?: Record<string, { instances?: Array<{ state: string }> }> } | undefined;
    const healthy =
      body?.upstreams?.[upstream]?.instances?.filter((entry) => entry.state === 'healthy').length ?? 0;
    if (healthy >= count) break;
    if (Date.now() > deadline)
      throw new Error(`the gateway saw ${healthy} healthy ${upstream} instance(s) after 60 s, not ${count}`);
    await sleep(500);
  }
  await sleep(6_000);
}

/** What product was scaled to before product-replica-kill, to scale back to. */
let productInstancesBefore = 1;

export const SCENARIOS: Scenario[] = [
  {
    name: 'payment-outage',
    description: 'every payment instance killed (SIGKILL), back after the fault window',
    clientView:
      'checkouts answer 202 PAYMENT_PENDING and complete to PAID by themselves once payment returns; browsing is untouched',
    defaultFaultSeconds: 30,
    allowed: clean,
    inject: () => run('kill', 'payment'),
    recover: () => run('start', 'payment'),
  },
  {
    name: 'payment-slow',
    description: 'the payment provider answers in 3 s (beyond the payment service timeout)',
    clientView: 'checkouts answer 202 PAYMENT_PENDING within the timeouts instead of hanging, then complete',
    defaultFaultSeconds: 30,
    allowed: clean,
    inject: (ctx) => setProviderFaults(ctx, { latencyMs: 3_000 }),
    recover: (ctx) => setProviderFaults(ctx, null),
  },
  {
    name: 'lost-capture',
    description: 'the provider captures, then drops the connection without answering',
    clientView:
      'checkouts answer 202 PAYMENT_PENDING; the retry with the same key finds the capture: PAID, charged once',
    defaultFaultSeconds: 20,
    allowed: clean,
    inject: (ctx) => setProviderFaults(ctx, { dropAfterCommit: true }),
    recover: (ctx) => setProviderFaults(ctx, null),
  },
  {
    name: 'kafka-restart',
    description: 'the Kafka broker restarted (graceful stop, start)',
    clientView: 'nothing: events wait in the outboxes and notifications catch up',
    defaultFaultSeconds: 5,
    allowed: clean,
    inject: () => run('stop', 'kafka'),
    recover: () => run('start', 'kafka'),
  },
  {
    name: 'redis-restart',
    description: 'Redis restarted (graceful stop, start)',
    clientView:
      'browsing and checkout keep working (cache and rate limits fail open); cart reads and writes fail with 503 while it is down',
    defaultFaultSeconds: 5,
    allowed: cleanOr503,
    inject: () => run('stop', 'redis'),
    recover: () => run('start', 'redis'),
  },
  {
    name: 'postgres-restart',
    description: 'PostgreSQL restarted (graceful stop, start)',
    clientView:
      'requests that need a database answer 503 while it is down; nothing is lost, orders in flight complete afterwards',
    defaultFaultSeconds: 5,
    allowed: cleanOr503,
    inject: () => run('stop', 'postgres'),
    recover: () => run('start', 'postgres'),
  },
  {
    name: 'notification-outage',
    description: 'the notification service stopped for the fault window',
    clientView: 'nothing: emails are sent late, each once',
    defaultFaultSeconds: 60,
    allowed: clean,
    inject: () => run('stop', 'notification'),
    recover: () => run('start', 'notification'),
  },
  {
    name: 'product-replica-kill',
    description: 'one of three product instances killed (SIGKILL), started again after the fault window',
    clientView:
      'nothing: the gateway retries idempotent reads and keyed checkouts on another instance and ejects the dead one; order fails its product calls over to a live instance',
    defaultFaultSeconds: 30,
    allowed: clean,
    prepare: async (ctx) => {
      productInstancesBefore = wantedCount(surgePaths(), 'product');
      await scale(['product=3']);
      await waitForHealthyInstances(ctx, 'product', 3);
    },
    inject: () => run('kill', 'product/1'),
    recover: () => run('start', 'product/1'),
    cleanup: () => scale([`product=${productInstancesBefore}`]),
  },
  {
    name: 'rolling-restart',
    description: 'every service restarted gracefully (SIGTERM), one after another, under load',
    clientView: 'a request to a service that is restarting may answer 503; nothing is lost',
    defaultFaultSeconds: 0,
    allowed: cleanOr503,
    inject: async () => {
      for (const name of ['user', 'product', 'payment-provider', 'payment', 'order', 'notification'])
        await run('restart', name);
    },
    recover: async () => undefined,
  },
  {
    name: 'order-db-partition',
    description:
      'a full network partition between the order service and its Postgres (both directions black-holed)',
    clientView:
      'checkouts answer 503 with Retry-After within the timeouts (no hang, no 500, no 504); browsing and carts (Redis) are untouched; nothing is lost',
    defaultFaultSeconds: 20,
    needsNetworkFaults: true,
    // Browsing never touches the order service: it must stay clean. Cart and checkout may
    // answer 503 (the order service cannot reach its database), never a 500 or a hang.
    allowed: (sample) => (sample.kind === 'browse' ? clean(sample) : cleanOr503(sample)),
    inject: () => partition(['order', 'postgres']),
    recover: () => heal(['order', 'postgres']),
  },
];

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((entry) => entry.name === name);
  if (!scenario)
    throw new Error(
      `unknown scenario "${name}"; one of: ${SCENARIOS.map((entry) => entry.name).join(', ')}, all`,
    );
  return scenario;
}
