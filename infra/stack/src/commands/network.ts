import { liveRecord } from '../native/daemon';
import { surgePaths } from '../native/paths';
import { toxiproxyApiUrl } from '../native/toxiproxy';
import { ToxiproxyApi, type ToxicState } from '../native/toxiproxy-api';
import { proxiesByService, proxyName } from '../services/network-proxies';

const log = (line: string) => process.stdout.write(`${line}\n`);

const OFF = [
  'network faults are off: services reach their dependencies directly, so there is nothing to cut.',
  'Start the stack with them on: `npm run stack -- up --network-faults` (or SURGE_NETWORK_FAULTS=on npm run stack -- up).',
  'They are off by default because every proxy adds a hop that load benchmarks should not pay.',
].join('\n');

/** Toxiproxy's API, or a clear error when this stack runs without network faults. */
function api(): ToxiproxyApi {
  if (!liveRecord(surgePaths(), 'toxiproxy')) throw new Error(OFF);
  return new ToxiproxyApi(toxiproxyApiUrl());
}

/** The proxy of a (service, dependency) pair, or an error listing the pairs there are. */
async function pairProxy(toxiproxy: ToxiproxyApi, service?: string, dependency?: string): Promise<string> {
  const pairs = await proxiesByService(toxiproxy.url);
  const known = [...pairs].map(([s, deps]) => `${s}: ${deps.join(', ')}`).join('\n  ');
  if (!service || !dependency || !pairs.get(service)?.includes(dependency))
    throw new Error(
      `${service && dependency ? `no proxy between ${service} and ${dependency}` : 'name a service and a dependency'}; the pairs are:\n  ${known || '(none: no service started since network faults were turned on)'}`,
    );
  return proxyName(service, dependency);
}

/** A full partition: both directions black-holed until healed. */
export const PARTITION_TOXICS: Array<Omit<ToxicState, 'toxicity'>> = (
  ['upstream', 'downstream'] as const
).map((stream) => ({ name: `partition-${stream}`, type: 'timeout', stream, attributes: { timeout: 0 } }));

/**
 * `npm run stack -- partition order postgres`: a full partition of that pair only. Both
 * directions are black-holed (Toxiproxy's timeout toxic with no timeout): connections
 * stay open and nothing arrives, as when a network drops packets, which is harder on a
 * client than a refused connection. Other services still reach the same Postgres.
 */
export async function partition(args: string[]): Promise<void> {
  const toxiproxy = api();
  const [service, dependency] = args;
  const proxy = await pairProxy(toxiproxy, service, dependency);
  for (const toxic of PARTITION_TOXICS) await toxiproxy.addToxic(proxy, toxic);
  log(
    `[stack] ${service} -/- ${dependency}: partitioned (nothing gets through either way); \`npm run stack -- heal ${service} ${dependency}\` ends it`,
  );
}

/** `npm run stack -- heal [service dependency]`: removes every toxic (of that pair, or of all). */
export async function heal(args: string[]): Promise<void> {
  const toxiproxy = api();
  const [service, dependency] = args;
  const proxies =
    service === undefined
      ? Object.keys(await toxiproxy.proxies())
      : [await pairProxy(toxiproxy, service, dependency)];
  for (const proxy of proxies) await toxiproxy.heal(proxy);
  log(
    `[stack] healed ${service === undefined ? `every pair (${proxies.length} proxies)` : `${service} -> ${dependency}`}: traffic flows normally`,
  );
}

const TOXIC_USAGE =
  'usage: npm run stack -- toxic <service> <dependency> latency=<ms> | bandwidth=<kB/s> | timeout=<ms> | reset';

/**
 * `npm run stack -- toxic order postgres latency=300`: one degradation of the pair, added to
 * what is there (`heal` removes them all). latency delays every answer; bandwidth caps
 * answers at kB/s; timeout stops the traffic and closes the connection after <ms>;
 * reset answers with a TCP reset.
 */
export async function toxic(args: string[]): Promise<void> {
  const [service, dependency, word] = args;
  if (!word) throw new Error(TOXIC_USAGE);
  const spec = toxicOf(word);
  const toxiproxy = api();
  await toxiproxy.addToxic(await pairProxy(toxiproxy, service, dependency), spec);
  log(
    `[stack] ${service} -> ${dependency}: ${word} (until \`npm run stack -- heal ${service} ${dependency}\`)`,
  );
}

export function toxicOf(word: string): Omit<ToxicState, 'toxicity'> {
  const [kind, raw] = word.split('=', 2);
  const value = Number(raw);
  const valid = raw !== undefined && raw !== '' && Number.isInteger(value) && value >= 0;
  if (kind === 'latency' && valid)
    return {
      name: 'latency',
      type: 'latency',
      stream: 'downstream',
      attributes: { latency: value, jitter: 0 },
    };
  if (kind === 'bandwidth' && valid && value > 0)
    return { name: 'bandwidth', type: 'bandwidth', stream: 'downstream', attributes: { rate: value } };
  if (kind === 'timeout' && valid)
    return { name: 'timeout', type: 'timeout', stream: 'upstream', attributes: { timeout: value } };
  if (word === 'reset')
    return { name: 'reset', type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } };
  throw new Error(`cannot read "${word}"\n${TOXIC_USAGE}`);
}
