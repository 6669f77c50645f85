import { aptInstall, which, consoleLog, surgePaths } from '@surge/stack/native';

/** A command-line tool and the Debian package that ships it. */
const PACKAGES = {
  nginx: 'nginx',
  wrk: 'wrk',
  pgbench: 'postgresql-client-15',
  taskset: 'util-linux',
} as const;

export type Tool = keyof typeof PACKAGES;

/**
 * Installs the Debian packages of the tools a benchmark runs (with the stack's apt guard:
 * nginx's maintainer scripts must not start a system nginx on port 80), and returns
 * their paths.
 */
export async function ensureTools(tools: Tool[]): Promise<Record<Tool, string>> {
  const missing = tools.filter((tool) => !findTool(tool));
  await aptInstall(
    missing.map((tool) => PACKAGES[tool]),
    { log: consoleLog, paths: surgePaths(), component: 'bench' },
  );
  const found = {} as Record<Tool, string>;
  for (const tool of tools) {
    const bin = findTool(tool);
    if (!bin) throw new Error(`${tool} is not on PATH after installing ${PACKAGES[tool]}`);
    found[tool] = bin;
  }
  return found;
}

function findTool(tool: Tool): string | null {
  // Debian puts nginx in /usr/sbin, which a non-login root shell may not have on PATH.
  return which(tool) ?? (tool === 'nginx' ? which('nginx', { PATH: '/usr/sbin:/sbin' }) : null);
}
