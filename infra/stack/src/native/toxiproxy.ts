import fs from 'node:fs';
import path from 'node:path';

import {
  type BaseHandle,
  type EnsureOptions,
  type Resolved,
  portFromEnv,
  resolveOptions,
  stopOwnedDaemon,
} from './daemon';
import { buildGoBinary } from './go-binary';
import { InfraError, type Log } from './log';
import { TOXIPROXY_VERSION, type SurgePaths, logFile } from './paths';
import { ensureDaemon, spawnOwnDaemon } from './own-daemon';
import { describePortOwner } from './ports';

export const TOXIPROXY_HOST = '127.0.0.1';
export const TOXIPROXY_DEFAULT_PORT = 8474;
const TOXIPROXY_MODULE = 'github.com/Shopify/toxiproxy/v2';

/** Toxiproxy's HTTP API, where proxies and their toxics are made (toxiproxy-api.ts). */
export interface ToxiproxyHandle extends BaseHandle {
  component: 'toxiproxy';
  apiUrl: string;
  version: string;
}

/**
 * Whether services reach their dependencies through Toxiproxy. Off by default: every
 * proxy is one more hop (a copy through another process), which load benchmarks must not
 * pay. `npm run stack -- up --network-faults` or SURGE_NETWORK_FAULTS=on turns it on.
 */
export function networkFaultsRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['on', 'true', '1'].includes((env['SURGE_NETWORK_FAULTS'] ?? '').toLowerCase());
}

export function toxiproxyApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `http://${TOXIPROXY_HOST}:${portFromEnv(env, 'SURGE_TOXIPROXY_PORT', TOXIPROXY_DEFAULT_PORT)}`;
}

/**
 * Makes Toxiproxy reachable: the one this project already runs, or our own, built once
 * from source into ~/.cache/surge/toxiproxy-<version>. A Toxiproxy Surge did not start is
 * never reused: its proxies would not be ours to cut.
 */
export async function ensureToxiproxy(opts: EnsureOptions = {}): Promise<ToxiproxyHandle> {
  const o = resolveOptions('toxiproxy', opts, 15_000);
  const port = portFromEnv(o.env, 'SURGE_TOXIPROXY_PORT', TOXIPROXY_DEFAULT_PORT);
  return ensureDaemon(o, {
    component: 'toxiproxy',
    host: TOXIPROXY_HOST,
    port,
    portEnv: 'SURGE_TOXIPROXY_PORT',
    reuseOurs: async (record) => {
      o.log(`reusing the Toxiproxy Surge process ${record.startedBy.pid} started (pid ${record.pid})`);
      return handle(port, await toxiproxyVersion(apiUrlOf(port)), 'ours-running', record.pid);
    },
    reuseExisting: async () => {
      throw new InfraError(
        'toxiproxy',
        `port ${TOXIPROXY_HOST}:${port} is in use by a server Surge did not start${describePortOwner(port)}`,
        'set SURGE_TOXIPROXY_PORT to a free port',
      );
    },
    startOwn: () => startOwn(port, o),
  });
}

async function startOwn(port: number, o: Resolved): Promise<ToxiproxyHandle> {
  const bin = await ensureToxiproxyBinary(o);
  fs.mkdirSync(o.paths.toxiproxyDir, { recursive: true });
  // No proxies at start (services make theirs, toxiproxy-api.ts). The file's path is in the
  // command line, so it doubles as the marker that proves a live pid is still ours.
  const config = path.join(o.paths.toxiproxyDir, 'proxies.json');
  fs.writeFileSync(config, '[]\n');
  const log = logFile(o.paths, 'toxiproxy');
  const apiUrl = apiUrlOf(port);
  o.log(`starting Toxiproxy ${TOXIPROXY_VERSION}: API ${apiUrl} (log: ${log})`);
  const {
    pid,
    ready: version,
    took,
  } = await spawnOwnDaemon(o, {
    component: 'toxiproxy',
    host: TOXIPROXY_HOST,
    ports: [port],
    marker: config,
    spawn: {
      command: bin,
      args: ['-host', TOXIPROXY_HOST, '-port', String(port), '-config', config],
      cwd: o.paths.toxiproxyDir,
      logFile: log,
    },
    ready: () => toxiproxyVersion(apiUrl),
    what: `Toxiproxy to answer ${apiUrl}/version`,
    intervalMs: 100,
  });
  o.log(`ready in ${took} (pid ${pid})`);
  return handle(port, version, 'started', pid);
}

/**
 * The Toxiproxy server, built once per version from its Go module into
 * ~/.cache/surge/toxiproxy-<version>/bin (about 10 MB) and reused by every clone; as for
 * Mailpit and Jaeger, no Debian package or release download is reachable here. Measured on
 * the shared 2-core machine: about 1 to 2 minutes, with a few hundred MB of Go caches
 * during the build, removed afterwards.
 */
export function ensureToxiproxyBinary(o: Resolved): Promise<string> {
  return buildGoBinary(o, {
    component: 'toxiproxy',
    label: `Toxiproxy ${TOXIPROXY_VERSION}`,
    module: TOXIPROXY_MODULE,
    moduleVersion: TOXIPROXY_VERSION,
    pkg: './cmd/server',
    ldflags: `-s -w -X ${TOXIPROXY_MODULE}.Version=${TOXIPROXY_VERSION}`,
    bin: o.paths.toxiproxyBin,
    cacheDir: o.paths.toxiproxyCacheDir,
    costHint: 'fetches its modules and compiles, about 1 to 2 minutes on 2 cores',
    goHint: '1.22 or later (or GOTOOLCHAIN allowing Go to fetch a newer one)',
    insteadHint: 'leave network faults off (SURGE_NETWORK_FAULTS unset)',
  });
}

/** One GET /version; resolves with the version. Rejects for anything that is not Toxiproxy. */
export async function toxiproxyVersion(apiUrl: string): Promise<string> {
  const res = await fetch(`${apiUrl}/version`, { signal: AbortSignal.timeout(2_000) });
  const text = (await res.text()).trim();
  if (res.status !== 200) throw new Error(`GET /version answered ${res.status}`);
  // 2.x answers {"version":"2.12.0",...}; older ones a bare string.
  try {
    const body = JSON.parse(text) as { version?: unknown };
    if (typeof body.version === 'string') return body.version;
  } catch {
    // a bare version string
  }
  if (!/^v?\d/.test(text)) throw new Error('GET /version did not answer like Toxiproxy');
  return text;
}

const apiUrlOf = (port: number) => `http://${TOXIPROXY_HOST}:${port}`;

function handle(
  port: number,
  version: string,
  source: ToxiproxyHandle['source'],
  pid: number | null,
): ToxiproxyHandle {
  return {
    component: 'toxiproxy',
    host: TOXIPROXY_HOST,
    port,
    pid,
    startedByUs: source === 'started',
    source,
    apiUrl: apiUrlOf(port),
    version,
  };
}

/** Stops Toxiproxy only when this handle started it. */
export async function stopToxiproxy(
  handle: ToxiproxyHandle,
  opts: { log?: Log; paths?: SurgePaths } = {},
): Promise<void> {
  await stopOwnedDaemon('toxiproxy', handle, (paths) => path.join(paths.toxiproxyDir, 'proxies.json'), opts);
}
