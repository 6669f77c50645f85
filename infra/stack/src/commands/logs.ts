import fs from 'node:fs';
import { logFile, surgePaths } from '../native/paths';
import { followLogs } from '../services/follow-logs';
import { SERVICE_SPECS } from '../services/service-specs';

const INFRA_LOGS = ['postgres', 'redis', 'kafka'];

/**
 * `pnpm stack logs [name] [--raw]`: follows one service's (or infrastructure
 * component's) log, or all services', from the start of the file. Ctrl-C ends it.
 */
export async function logs(args: string[]): Promise<void> {
  const paths = surgePaths();
  const raw = args.includes('--raw');
  const name = args.find((arg) => !arg.startsWith('--'));
  const known = [...SERVICE_SPECS.map((spec) => spec.name), ...INFRA_LOGS];
  if (name && !known.includes(name)) throw new Error(`unknown log "${name}"; one of: ${known.join(', ')}`);
  const names = name ? [name] : SERVICE_SPECS.map((spec) => spec.name);
  const files = Object.fromEntries(names.map((entry) => [entry, logFile(paths, entry)]));
  if (!Object.values(files).some((file) => fs.existsSync(file))) {
    process.stdout.write(`[stack] no logs yet in ${paths.logsDir}; start the stack with \`npm start\`\n`);
    return;
  }
  followLogs(files, (line) => process.stdout.write(`${line}\n`), { raw, fromStart: true });
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
}
