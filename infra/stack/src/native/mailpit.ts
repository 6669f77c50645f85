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
import { InfraError, type Log, errorMessage } from './log';
import { MAILPIT_VERSION, type SurgePaths, logFile } from './paths';
import { ensureDaemon, spawnOwnDaemon } from './own-daemon';
import { describePortOwner, isPortOpen } from './ports';

export const MAILPIT_HOST = '127.0.0.1';
export const SMTP_DEFAULT_PORT = 1025;
export const MAILPIT_DEFAULT_PORT = 8025;
const MAILPIT_MODULE = 'github.com/axllent/mailpit';

/**
 * Mailpit: the SMTP sink the notification service sends to in development and tests. It
 * keeps every message and shows it in a web UI and a JSON API, which is how tests check
 * that exactly one email reached a recipient.
 */
export interface MailpitHandle extends BaseHandle {
  component: 'mailpit';
  /** What services read as SMTP_URL. `port` is the SMTP port. */
  smtpUrl: string;
  /** Web UI and API (MAILPIT_URL); '' when SMTP_URL names a server whose API we were not told. */
  apiUrl: string;
  version: string;
}

/**
 * Makes an SMTP sink reachable: SMTP_URL (and MAILPIT_URL for its API) if set; else the
 * Mailpit this project already runs; else a Mailpit already listening on both ports; else
 * our own, built once from source with `go install` into ~/.cache/surge/mailpit-<version>.
 */
export async function ensureMailpit(opts: EnsureOptions = {}): Promise<MailpitHandle> {
  const o = resolveOptions('mailpit', opts, 20_000);
  const external = o.env['SMTP_URL'];
  if (external) return useExternal(external, o.env['MAILPIT_URL'] ?? '', o);
  const smtpPort = portFromEnv(o.env, 'SURGE_SMTP_PORT', SMTP_DEFAULT_PORT);
  const httpPort = portFromEnv(o.env, 'SURGE_MAILPIT_PORT', MAILPIT_DEFAULT_PORT);
  const apiUrl = `http://${MAILPIT_HOST}:${httpPort}`;
  return ensureDaemon(o, {
    component: 'mailpit',
    host: MAILPIT_HOST,
    port: smtpPort,
    portEnv: 'SURGE_SMTP_PORT',
    otherPorts: [
      { index: 1, port: httpPort, env: 'SURGE_MAILPIT_PORT', what: 'Mailpit already serves its API' },
    ],
    probePorts: [smtpPort, httpPort],
    reuseOurs: async (record) => {
      const version = await mailpitInfo(apiUrl);
      o.log(
        `reusing the Mailpit Surge process ${record.startedBy.pid} started (pid ${record.pid}) on ${MAILPIT_HOST}:${smtpPort}`,
      );
      return handle(smtpPort, apiUrl, version, 'ours-running', record.pid);
    },
    reuseExisting: () => reuseExisting(smtpPort, httpPort, apiUrl, o),
    startOwn: () => startOwn(smtpPort, httpPort, apiUrl, o),
  });
}

async function useExternal(smtpUrl: string, apiUrl: string, o: Resolved): Promise<MailpitHandle> {
  let parsed: URL;
  try {
    parsed = new URL(smtpUrl);
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new Error('not smtp: or smtps:');
  } catch (err) {
    throw new InfraError(
      'mailpit',
      `SMTP_URL=${smtpUrl} is not an SMTP URL (${errorMessage(err)})`,
      'use smtp://HOST:PORT, or unset it to let Surge run its own Mailpit',
    );
  }
  let version = 'unknown';
  if (apiUrl) {
    try {
      version = await mailpitInfo(apiUrl);
    } catch (err) {
      throw new InfraError(
        'mailpit',
        `cannot use MAILPIT_URL: ${errorMessage(err)}`,
        'fix it, or unset SMTP_URL and MAILPIT_URL to let Surge run its own Mailpit',
      );
    }
  }
  const port = Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 25));
  o.log(`using SMTP_URL (${parsed.hostname}:${port}${apiUrl ? `, API ${apiUrl}` : ''}); nothing to start`);
  return { ...handle(port, apiUrl, version, 'external', null), host: parsed.hostname, smtpUrl };
}

/** A Mailpit a developer runs already (say, from their package manager) is used and never stopped. */
async function reuseExisting(
  smtpPort: number,
  httpPort: number,
  apiUrl: string,
  o: Resolved,
): Promise<MailpitHandle> {
  let version: string;
  try {
    version = await mailpitInfo(apiUrl);
  } catch (err) {
    throw new InfraError(
      'mailpit',
      `port ${MAILPIT_HOST}:${httpPort} does not answer like Mailpit's API${describePortOwner(httpPort)}: ${errorMessage(err)}`,
      `set SURGE_MAILPIT_PORT (and SURGE_SMTP_PORT) to free ports to run Surge's own Mailpit, or SMTP_URL and MAILPIT_URL to use another sink`,
    );
  }
  if (!(await isPortOpen(MAILPIT_HOST, smtpPort))) {
    throw new InfraError(
      'mailpit',
      `a Mailpit ${version} answers on ${MAILPIT_HOST}:${httpPort} but nothing accepts SMTP on ${MAILPIT_HOST}:${smtpPort}`,
      `set SMTP_URL=smtp://HOST:PORT and MAILPIT_URL=${apiUrl} to use that Mailpit, or SURGE_SMTP_PORT and SURGE_MAILPIT_PORT to run Surge's own`,
    );
  }
  o.log(
    `reusing the Mailpit ${version} already listening on ${MAILPIT_HOST}:${smtpPort} and ${apiUrl} (not started by us, will not be stopped)`,
  );
  return handle(smtpPort, apiUrl, version, 'existing', null);
}

async function startOwn(
  smtpPort: number,
  httpPort: number,
  apiUrl: string,
  o: Resolved,
): Promise<MailpitHandle> {
  const bin = await ensureMailpitBinary(o);
  fs.mkdirSync(o.paths.mailpitDir, { recursive: true });
  // The database path is in the command line, so it doubles as the marker that proves a
  // live pid is still our Mailpit (run-state.ts). Mail survives restarts like other data.
  const database = path.join(o.paths.mailpitDir, 'mailpit.db');
  const log = logFile(o.paths, 'mailpit');
  o.log(
    `starting Mailpit ${MAILPIT_VERSION}: SMTP ${MAILPIT_HOST}:${smtpPort}, web UI and API ${apiUrl} (log: ${log})`,
  );
  const {
    pid,
    ready: version,
    took,
  } = await spawnOwnDaemon(o, {
    component: 'mailpit',
    host: MAILPIT_HOST,
    ports: [smtpPort, httpPort],
    marker: database,
    spawn: {
      command: bin,
      args: [
        '--smtp',
        `${MAILPIT_HOST}:${smtpPort}`,
        '--listen',
        `${MAILPIT_HOST}:${httpPort}`,
        '--database',
        database,
        // The default keeps only 500 messages; parallel test files send more than that.
        '--max',
        '10000',
        // Loopback only: reverse DNS of 127.0.0.1 buys nothing and can stall without a resolver.
        '--smtp-disable-rdns',
        // A service configured with SMTP credentials (as for a real relay) must still get through.
        '--smtp-auth-accept-any',
        '--smtp-auth-allow-insecure',
        // No network here besides loopback: do not ask GitHub for newer releases.
        '--disable-version-check',
      ],
      cwd: o.paths.mailpitDir,
      logFile: log,
    },
    ready: async () => {
      const info = await mailpitInfo(apiUrl);
      // The API comes up first; SMTP right after it.
      return (await isPortOpen(MAILPIT_HOST, smtpPort)) ? info : undefined;
    },
    what: `Mailpit to answer ${apiUrl}/api/v1/info and accept SMTP on ${MAILPIT_HOST}:${smtpPort}`,
    intervalMs: 100,
  });
  o.log(`ready in ${took} (pid ${pid})`);
  return handle(smtpPort, apiUrl, version, 'started', pid);
}

/**
 * The Mailpit binary, built once per version from its Go module into
 * ~/.cache/surge/mailpit-<version>/bin and reused by every clone and start. Mailpit is not
 * a Debian package and no prebuilt binary can be downloaded here; the Go module proxy can
 * be reached. Go's module and build caches (about 800 MB) live under the same folder
 * only for the build and are removed afterwards: they are per version, so no later build
 * would reuse them.
 *
 * Same result as `go install github.com/axllent/mailpit@<version>` (Mailpit's own go.mod
 * and go.sum pin every dependency), done in two steps: `go install module@version` also
 * asks the proxy for the module's version list (to print deprecation notices), and
 * proxies that serve pinned versions but not lists (ours answers 403) make it fail.
 */
export function ensureMailpitBinary(o: Resolved): Promise<string> {
  return buildGoBinary(o, {
    component: 'mailpit',
    label: `Mailpit ${MAILPIT_VERSION}`,
    module: MAILPIT_MODULE,
    moduleVersion: MAILPIT_VERSION,
    pkg: '.',
    ldflags: `-s -w -X ${MAILPIT_MODULE}/config.Version=${MAILPIT_VERSION}`,
    bin: o.paths.mailpitBin,
    cacheDir: o.paths.mailpitCacheDir,
    costHint: 'fetches its modules and compiles, about a minute or two',
    goHint: '1.21 or later (it fetches the newer toolchain Mailpit needs unless GOTOOLCHAIN=local)',
    insteadHint: 'set SMTP_URL (and MAILPIT_URL) to an SMTP sink you run',
  });
}

/** One GET of Mailpit's app info; resolves with its version. Rejects for anything that is not Mailpit. */
export async function mailpitInfo(apiUrl: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/v1/info`, { signal: AbortSignal.timeout(2_000) });
  if (res.status !== 200) throw new Error(`GET /api/v1/info answered ${res.status}`);
  const body = (await res.json().catch(() => null)) as { Version?: unknown } | null;
  if (typeof body?.Version !== 'string') throw new Error('GET /api/v1/info did not answer like Mailpit');
  return body.Version;
}

function handle(
  smtpPort: number,
  apiUrl: string,
  version: string,
  source: MailpitHandle['source'],
  pid: number | null,
): MailpitHandle {
  return {
    component: 'mailpit',
    host: MAILPIT_HOST,
    port: smtpPort,
    pid,
    startedByUs: source === 'started',
    source,
    smtpUrl: `smtp://${MAILPIT_HOST}:${smtpPort}`,
    apiUrl,
    version,
  };
}

/** Stops Mailpit only when this handle started it. */
export async function stopMailpit(
  handle: MailpitHandle,
  opts: { log?: Log; paths?: SurgePaths } = {},
): Promise<void> {
  await stopOwnedDaemon('mailpit', handle, (paths) => path.join(paths.mailpitDir, 'mailpit.db'), opts);
}
