import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import pg from 'pg';

import { aptInstall } from './apt';
import {
  type BaseHandle,
  type EnsureOptions,
  type Resolved,
  portFromEnv,
  resolveOptions,
  stopPid,
  stopRecorded,
} from './daemon';
import { runCommand, isRoot } from './exec';
import { InfraError, type Log, componentLog, consoleLog, errorMessage } from './log';
import { type SurgePaths, logFile, surgePaths } from './paths';
import { PG_MIN_MAJOR, PG_PACKAGE, type PgUser, findPgBinaries, pgRunAs, userCanWrite } from './postgres-bin';
import { ensureDaemon, spawnOwnDaemon } from './own-daemon';
import { describePortOwner } from './ports';
import { commandLine, isAlive } from './process';

export const PG_HOST = '127.0.0.1';
export const PG_DEFAULT_PORT = 5432;
/** Superuser of the cluster we create. A development-only password: see docs/running-natively.md. */
export const PG_SUPERUSER = 'postgres';
export const PG_DEV_PASSWORD = 'postgres';

export interface PostgresHandle extends BaseHandle {
  component: 'postgres';
  /** Superuser (or CREATEROLE+CREATEDB) URL; pass it to provisionDatabase. */
  adminUrl: string;
  /** server_version, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  version: string;
  /** Our cluster's data directory; null when the server is not ours. */
  dataDir: string | null;
}

export function defaultAdminUrl(port: number): string {
  return `postgres://${PG_SUPERUSER}:${PG_DEV_PASSWORD}@${PG_HOST}:${port}/postgres`;
}

/**
 * Makes a PostgreSQL >= 14 reachable and returns how to reach it: SURGE_PG_ADMIN_URL if
 * set; else a server this project already runs; else a compatible server on the port;
 * else our own cluster in .surge/postgres, installed and initialised on first use.
 */
export async function ensurePostgres(opts: EnsureOptions = {}): Promise<PostgresHandle> {
  const o = resolveOptions('postgres', opts, 30_000);
  const external = o.env['SURGE_PG_ADMIN_URL'];
  if (external) return useExternal(external, o);
  const port = portFromEnv(o.env, 'SURGE_PG_PORT', PG_DEFAULT_PORT);
  return ensureDaemon(o, {
    component: 'postgres',
    host: PG_HOST,
    port,
    portEnv: 'SURGE_PG_PORT',
    reuseOurs: async (record) => {
      const info = await probe(defaultAdminUrl(port));
      o.log(
        `reusing the server Surge process ${record.startedBy.pid} started (pid ${record.pid}) on ${PG_HOST}:${port}`,
      );
      return handle(port, info.version, 'ours-running', record.pid, record.marker);
    },
    reuseExisting: () => reuseExisting(port, o),
    startOwn: () => startOwn(port, o),
  });
}

async function useExternal(url: string, o: Resolved): Promise<PostgresHandle> {
  const parsed = new URL(url);
  const port = Number(parsed.port || PG_DEFAULT_PORT);
  try {
    const info = await probe(url);
    o.log(
      `using SURGE_PG_ADMIN_URL (${parsed.hostname}:${port}, PostgreSQL ${info.version}); nothing to start`,
    );
    return { ...handle(port, info.version, 'external', null, null), host: parsed.hostname, adminUrl: url };
  } catch (err) {
    throw new InfraError(
      'postgres',
      `cannot use SURGE_PG_ADMIN_URL: ${errorMessage(err)}`,
      'fix the URL, or unset it to let Surge run its own PostgreSQL',
    );
  }
}

async function reuseExisting(port: number, o: Resolved): Promise<PostgresHandle> {
  const url = defaultAdminUrl(port);
  try {
    const info = await probe(url);
    o.log(
      `reusing the PostgreSQL ${info.version} already listening on ${PG_HOST}:${port} (not started by us, will not be stopped)`,
    );
    return handle(port, info.version, 'existing', null, null);
  } catch (err) {
    const isPostgres =
      typeof (err as { code?: unknown }).code === 'string' &&
      /^[0-9A-Z]{5}$/.test((err as { code: string }).code);
    const what = isPostgres
      ? `a PostgreSQL server we cannot use as ${PG_SUPERUSER}/${PG_DEV_PASSWORD}`
      : 'something that does not answer as PostgreSQL';
    throw new InfraError(
      'postgres',
      `port ${PG_HOST}:${port} is taken by ${what}${describePortOwner(port)}: ${errorMessage(err)}`,
      `set SURGE_PG_ADMIN_URL=postgres://USER:PASSWORD@${PG_HOST}:${port}/postgres to use that server, ` +
        `or SURGE_PG_PORT=${port + 1} to run Surge's own PostgreSQL beside it`,
    );
  }
}

async function startOwn(port: number, o: Resolved): Promise<PostgresHandle> {
  let bins = findPgBinaries();
  if (!bins) {
    o.log('no PostgreSQL server binaries found');
    await aptInstall([PG_PACKAGE], { log: o.sink, paths: o.paths, component: 'postgres' });
    bins = findPgBinaries();
    if (!bins)
      throw new InfraError(
        'postgres',
        `installed ${PG_PACKAGE} but found no server binaries`,
        'check /usr/lib/postgresql/*/bin',
      );
  }
  const user = pgRunAs();
  if ('error' in user)
    throw new InfraError(
      'postgres',
      user.error,
      `install ${PG_PACKAGE} (it creates that user), or run as a normal user`,
    );
  const layout = prepareLayout(o.paths, user, o.log);
  bins = pinVersion(layout.dataDir, bins);
  if (!fs.existsSync(path.join(layout.dataDir, 'PG_VERSION'))) await initCluster(layout, bins.dir, user, o);
  clearStalePostmasterPid(layout.dataDir);

  const socketFile = path.join(layout.baseDir, `.s.PGSQL.${port}`);
  // Unix socket paths are limited to 107 bytes; with a deep clone we serve TCP only.
  const socketDir = Buffer.byteLength(socketFile) < 100 ? layout.baseDir : '';
  // Passed with -c rather than written to postgresql.conf, so a changed port needs no edit.
  const settings: Record<string, string | number> = {
    port,
    listen_addresses: PG_HOST,
    unix_socket_directories: socketDir,
    max_connections: 200,
    logging_collector: 'off', // stderr goes to .surge/logs/postgres.log
  };
  const args = [
    ...user.wrap,
    path.join(bins.dir, 'postgres'),
    '-D',
    layout.dataDir,
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  const log = logFile(o.paths, 'postgres');
  o.log(`starting PostgreSQL ${bins.major} on ${PG_HOST}:${port} (data: ${layout.dataDir}, log: ${log})`);
  const url = defaultAdminUrl(port);
  const {
    pid,
    ready: info,
    took,
  } = await spawnOwnDaemon(o, {
    component: 'postgres',
    host: PG_HOST,
    ports: [port],
    marker: layout.dataDir,
    spawn: { command: args[0]!, args: args.slice(1), cwd: layout.baseDir, logFile: log },
    ready: () => probe(url),
    what: `PostgreSQL to accept connections on ${PG_HOST}:${port}`,
  });
  o.log(`ready on ${PG_HOST}:${port} in ${took} (pid ${pid})`);
  return handle(port, info.version, 'started', pid, layout.dataDir);
}

interface Layout {
  baseDir: string;
  dataDir: string;
}

/**
 * `.surge/postgres`, owned by the user postgres runs as. When that user cannot reach the
 * clone (e.g. it lives under /root, mode 700), the cluster goes to /var/tmp instead,
 * named after the clone so clones do not share it; `.surge/postgres/DATA_DIR` says where.
 */
function prepareLayout(paths: SurgePaths, user: PgUser, log: Log): Layout {
  fs.mkdirSync(paths.postgresDir, { recursive: true, mode: 0o700 });
  if (isRoot()) fs.chownSync(paths.postgresDir, user.uid, user.gid);
  if (userCanWrite(user, paths.postgresDir))
    return { baseDir: paths.postgresDir, dataDir: paths.postgresData };
  const tag = crypto.createHash('sha1').update(paths.stateDir).digest('hex').slice(0, 10);
  const baseDir = `/var/tmp/surge-postgres-${tag}`;
  fs.mkdirSync(baseDir, { recursive: true, mode: 0o700 });
  fs.chownSync(baseDir, user.uid, user.gid);
  fs.writeFileSync(path.join(paths.postgresDir, 'DATA_DIR'), `${baseDir}/data\n`);
  log(`the ${user.name} user cannot reach ${paths.postgresDir}; keeping the cluster in ${baseDir} instead`);
  return { baseDir, dataDir: path.join(baseDir, 'data') };
}

/** An existing cluster can only be run by binaries of its own major version. */
function pinVersion(dataDir: string, bins: { dir: string; major: number }): { dir: string; major: number } {
  let version: string;
  try {
    version = fs.readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim();
  } catch {
    return bins;
  }
  const major = Number(version);
  if (major === bins.major) return bins;
  const exact = findPgBinaries(major);
  if (exact) return exact;
  throw new InfraError(
    'postgres',
    `${dataDir} was created by PostgreSQL ${version}, but only PostgreSQL ${bins.major} is installed`,
    `install postgresql-${version}, or delete the data (npm run stack -- down && rm -rf ${path.dirname(dataDir)})`,
  );
}

async function initCluster(layout: Layout, binDir: string, user: PgUser, o: Resolved): Promise<void> {
  // Initialise beside the final place and rename at the end: a half-done initdb never
  // looks like a cluster to the next run.
  const staging = `${layout.dataDir}.init`;
  fs.rmSync(staging, { recursive: true, force: true });
  const pwFile = path.join(layout.baseDir, 'superuser-password.tmp');
  fs.writeFileSync(pwFile, `${PG_DEV_PASSWORD}\n`, { mode: 0o600 });
  if (isRoot()) fs.chownSync(pwFile, user.uid, user.gid);
  o.log(
    `initialising a new cluster in ${layout.dataDir} (superuser ${PG_SUPERUSER}, scram-sha-256 over TCP)`,
  );
  const args = [
    ...user.wrap,
    path.join(binDir, 'initdb'),
    '-D',
    staging,
    '-U',
    PG_SUPERUSER,
    `--pwfile=${pwFile}`,
    '--encoding=UTF8',
    '--locale=C',
    // The socket lives in a 0700 directory only the server's user can enter: trust is safe there.
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
  ];
  try {
    const res = await runCommand(args[0]!, args.slice(1), {
      cwd: layout.baseDir,
      logFile: logFile(o.paths, 'postgres-initdb'),
    });
    if (res.code !== 0) {
      throw new InfraError(
        'postgres',
        `initdb failed (exit ${res.code}):\n${res.output.trim().split('\n').slice(-15).join('\n')}`,
        `see ${logFile(o.paths, 'postgres-initdb')}`,
      );
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  fs.renameSync(staging, layout.dataDir);
}

/**
 * After a SIGKILL or a reboot postmaster.pid stays behind; if its pid now belongs to some
 * other process, postgres would refuse to start. Remove it when it is clearly stale.
 */
function clearStalePostmasterPid(dataDir: string): void {
  const file = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  const alive = pid > 0 && isAlive(pid) && (commandLine(pid) ?? '').includes('postgres');
  if (!alive) fs.rmSync(file, { force: true });
}

function handle(
  port: number,
  version: string,
  source: PostgresHandle['source'],
  pid: number | null,
  dataDir: string | null,
): PostgresHandle {
  return {
    component: 'postgres',
    host: PG_HOST,
    port,
    pid,
    startedByUs: source === 'started',
    source,
    adminUrl: defaultAdminUrl(port),
    version,
    dataDir,
  };
}

/** Connects once and checks the server is usable: version >= 14 and allowed to provision. */
async function probe(url: string): Promise<{ version: string }> {
  return withClient(url, async (client) => {
    const res = await client.query<{ num: string; version: string; can: boolean }>(
      `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version,
              (rolsuper OR (rolcreaterole AND rolcreatedb)) AS can
         FROM pg_roles WHERE rolname = current_user`,
    );
    const row = res.rows[0];
    if (!row) throw new Error('cannot read the server version');
    if (Number(row.num) < PG_MIN_MAJOR * 10_000)
      throw new Error(`PostgreSQL ${row.version} is older than ${PG_MIN_MAJOR}`);
    if (!row.can)
      throw new Error(
        'the user is neither superuser nor CREATEROLE+CREATEDB, so it cannot provision databases',
      );
    return { version: row.version };
  });
}

export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
  timeoutMs = 3_000,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined); // a server shutting down must not crash the process
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Stops the server only when this handle started it. */
export async function stopPostgres(
  handle: PostgresHandle,
  opts: { log?: Log; paths?: SurgePaths } = {},
): Promise<void> {
  if (!handle.startedByUs || handle.pid === null) return;
  const log = componentLog(opts.log ?? consoleLog, 'postgres');
  const paths = opts.paths ?? surgePaths();
  const result = await stopRecorded(paths, 'postgres', log, handle.pid);
  if (result === 'no-record' && handle.dataDir) await stopPid('postgres', handle.pid, handle.dataDir, log);
}
