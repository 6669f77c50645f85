import { surgePaths } from '../native/paths';
import { selectInstances, type ServiceInstance } from '../services/service-instances';
import { SERVICE_SPECS, instanceAdminUrl } from '../services/service-specs';

const log = (line: string) => process.stdout.write(`${line}\n`);

const USAGE =
  'usage: npm run stack -- fault <service>[/<i>] latency=<ms> | error-rate=<0..1> | hang | drop-after-commit | clear';

/**
 * `npm run stack -- fault order latency=800 error-rate=0.2`: switches development faults on in
 * every running instance of a service (or one: `product/2`) through its
 * `/_control/faults` on the instance's admin listener (loopback, never the public port), and prints what each instance now does. The words combine; the
 * set replaces what was on before; `clear` switches everything off.
 */
export async function fault(args: string[]): Promise<void> {
  const [target, ...words] = args;
  if (!target || words.length === 0) throw new Error(USAGE);
  const faults = parseFaultWords(words);
  const { service, instances, all } = selectInstances(surgePaths(), target);
  if (!SERVICE_SPECS.some((spec) => spec.name === service))
    throw new Error(`unknown service "${service}"; one of ${SERVICE_SPECS.map((s) => s.name).join(', ')}`);
  if (all.length === 0)
    throw new Error(`${service} is not running (npm run stack -- up, or npm run stack -- start ${service})`);
  if (instances.length === 0)
    throw new Error(`${target}: no such instance; running: ${all.map((i) => i.label).join(', ')}`);
  for (const instance of instances) log(`[stack] ${instance.label}: ${await apply(instance, faults)}`);
}

/** The words of the command line as the body of PUT /_control/faults; null for `clear`. */
export function parseFaultWords(words: string[]): Record<string, number | boolean> | null {
  if (words.length === 1 && words[0] === 'clear') return null;
  const faults: Record<string, number | boolean> = {};
  for (const word of words) {
    const [key, value] = word.split('=', 2);
    const number = Number(value);
    if (key === 'latency' && value !== undefined && Number.isInteger(number) && number >= 0)
      faults.latencyMs = number;
    else if (key === 'error-rate' && value !== undefined && value !== '' && number >= 0 && number <= 1)
      faults.errorRate = number;
    else if (word === 'hang') faults.hang = true;
    else if (word === 'drop-after-commit') faults.dropAfterCommit = true;
    else throw new Error(`cannot read "${word}"\n${USAGE}`);
  }
  return faults;
}

async function apply(instance: ServiceInstance, faults: Record<string, unknown> | null): Promise<string> {
  const res = await fetch(`${instanceAdminUrl(instance.url)}/_control/faults`, {
    method: faults ? 'PUT' : 'DELETE',
    ...(faults ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) } : {}),
    signal: AbortSignal.timeout(5_000),
  });
  if (res.status === 404)
    return 'has no fault control: it runs without FAULT_INJECTION (production mode); restart it with the stack in development';
  if (res.status >= 300)
    throw new Error(`${instance.label}: /_control/faults answered ${res.status}: ${await res.text()}`);
  if (!faults) return 'no faults';
  return describeFaults((await res.json()) as Record<string, number | boolean>);
}

export function describeFaults(state: Record<string, number | boolean>): string {
  const parts: string[] = [];
  if (state.hang) parts.push('never answers (hang)');
  if (Number(state.latencyMs) > 0) parts.push(`answers ${String(state.latencyMs)} ms late`);
  if (Number(state.errorRate) > 0)
    parts.push(`fails ${Math.round(Number(state.errorRate) * 100)}% of requests with 500 FAULT_INJECTED`);
  if (state.dropAfterCommit) parts.push('does the work of writes, then drops the connection unanswered');
  return parts.length > 0 ? parts.join('; ') : 'no faults';
}
