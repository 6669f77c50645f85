import fs from 'node:fs';
import { logFile, surgePaths } from '../native/paths';
import { followLogs } from '../services/follow-logs';
import { instanceLogFiles } from '../services/instance-control';
import { SERVICE_SPECS } from '../services/service-specs';

const INFRA_LOGS = ['postgres', 'redis', 'kafka'];

/**
 * `npm run stack -- logs [name] [--raw]`: follows one service's logs (every instance of it),
 * one instance's (`product/2`), an infrastructure component's, or all services', from
 * the start of the files. Instances that `scale` starts later join in. Ctrl-C ends it.
 */
export async function logs(args: string[]): Promise<void> {
  const paths = surgePaths();
  const raw = args.includes('--raw');
  const name = args.find((arg) => !arg.startsWith('--'));
  const services = SERVICE_SPECS.map((spec) => spec.name);
  const [service, index] = (name ?? '').split('/');
  const known = [...services, ...INFRA_LOGS];
  if (name && (!service || !known.includes(service) || (index !== undefined && !/^\d+$/.test(index))))
    throw new Error(
      `unknown log "${name}"; one of: ${known.join(', ')} (a service optionally with /<instance>)`,
    );
  const files = (): Record<string, string> => {
    if (service && INFRA_LOGS.includes(service)) return { [service]: logFile(paths, service) };
    if (service && index !== undefined) return { [name!]: logFile(paths, `${service}.${index}`) };
    const names = service ? [service] : services;
    return Object.assign({}, ...names.map((entry) => instanceLogFiles(paths, entry))) as Record<
      string,
      string
    >;
  };
  if (!Object.values(files()).some((file) => fs.existsSync(file))) {
    process.stdout.write(`[stack] no logs yet in ${paths.logsDir}; start the stack with \`npm start\`\n`);
    return;
  }
  followLogs(files, (line) => process.stdout.write(`${line}\n`), { raw, fromStart: true });
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
}
