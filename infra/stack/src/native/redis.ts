import fs from 'node:fs';
import path from 'node:path';

import Redis from 'ioredis';

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
import { versionOf, which } from './exec';
import { InfraError, type Log, componentLog, consoleLog, errorMessage } from './log';
import { type SurgePaths, logFile, surgePaths } from './paths';
import { ensureDaemon, spawnOwnDaemon } from './own-daemon';
import { describePortOwner } from './ports';
import {
  REDIS_ADMIN_USER,
  REDIS_HEALTHCHECK_RULES,
  REDIS_HEALTHCHECK_USER,
  REDIS_SERVICE_USERS,
  redisAclFile,
  redisDevPassword,
  redisPasswordHash,
  redisServiceRules,
  redisServiceUrl,
  redisUrlAs,
} from './redis-acl';

export const REDIS_HOST = '127.0.0.1';
export const REDIS_DEFAULT_PORT = 6379;
export const REDIS_PACKAGE = 'redis-server';
// ACL subcommand rules (-script|flush) and resetchannels need Redis 7.
const REDIS_MIN_MAJOR = 7;

export interface RedisHandle extends BaseHandle {
  component: 'redis';
  /** Logged in as the admin user: for setup, tooling and test assertions, never a service. */
  url: string;
  /** Each service's own REDIS_URL (its ACL user), by service name. */
  serviceUrls: Record<string, string>;
  version: string;
}

/**
 * Makes a Redis reachable: REDIS_URL if set; else one this project already runs; else a
 * server on the port that lets our admin user in; else our own redis-server with data in
 * .surge/redis. Every server it hands out has the ACL users of redis-acl.ts: ours from
 * its ACL file, a reused one by ACL SETUSER (idempotent, like provisionDatabase), so a
 * server started by an older checkout gets today's rules.
 */
export async function ensureRedis(opts: EnsureOptions = {}): Promise<RedisHandle> {
  const o = resolveOptions('redis', opts, 20_000);
  const external = o.env['REDIS_URL'];
  if (external) return useExternal(external, o);
  const port = portFromEnv(o.env, 'SURGE_REDIS_PORT', REDIS_DEFAULT_PORT);
  const url = redisUrlAs(
    `redis://${REDIS_HOST}:${port}`,
    REDIS_ADMIN_USER,
    redisDevPassword(REDIS_ADMIN_USER),
  );
  return ensureDaemon(o, {
    component: 'redis',
    host: REDIS_HOST,
    port,
    portEnv: 'SURGE_REDIS_PORT',
    reuseOurs: async (record) => {
      const version = await ping(url);
      await provisionRedisUsers(url);
      o.log(
        `reusing the server Surge process ${record.startedBy.pid} started (pid ${record.pid}) on ${REDIS_HOST}:${port}`,
      );
      return handle(url, port, version, 'ours-running', record.pid);
    },
    reuseExisting: () => reuseExisting(url, port, o),
    startOwn: () => startOwn(url, port, o),
  });
}

async function useExternal(url: string, o: Resolved): Promise<RedisHandle> {
  const parsed = new URL(url);
  try {
    const version = await ping(url);
    await provisionRedisUsers(url);
    o.log(
      `using REDIS_URL (${parsed.hostname}:${parsed.port || REDIS_DEFAULT_PORT}, Redis ${version}); nothing to start`,
    );
    return {
      ...handle(url, Number(parsed.port || REDIS_DEFAULT_PORT), version, 'external', null),
      host: parsed.hostname,
    };
  } catch (err) {
    throw new InfraError(
      'redis',
      `cannot use REDIS_URL: ${errorMessage(err)}`,
      "REDIS_URL must log in as a user that may run ACL SETUSER (it creates the services' users); fix it, or unset it to let Surge run its own Redis",
    );
  }
}

async function reuseExisting(url: string, port: number, o: Resolved): Promise<RedisHandle> {
  try {
    const version = await ping(url);
    await provisionRedisUsers(url);
    o.log(
      `reusing the Redis ${version} already listening on ${REDIS_HOST}:${port} (not started by us, will not be stopped)`,
    );
    return handle(url, port, version, 'existing', null);
  } catch (err) {
    const open = await ping(`redis://${REDIS_HOST}:${port}`).then(
      () => true,
      () => false,
    );
    // A server anyone may use without a password is not one to put service users on:
    // the isolation they give would be a pretence while `default` can read every key.
    const problem = open
      ? 'is a Redis that lets clients in without a password (its default user is on), so per-service ACL users would isolate nothing'
      : `is taken by something that does not let Surge's Redis admin user in${describePortOwner(port)}: ${errorMessage(err)}`;
    throw new InfraError(
      'redis',
      `port ${REDIS_HOST}:${port} ${problem}`,
      `set SURGE_REDIS_PORT=${port + 1} to run Surge's own Redis beside it, or REDIS_URL=redis://ADMIN_USER:PASSWORD@${REDIS_HOST}:${port} to use that server with an admin user`,
    );
  }
}

async function startOwn(url: string, port: number, o: Resolved): Promise<RedisHandle> {
  let bin = findRedisServer();
  if (!bin) {
    o.log('no redis-server binary found');
    await aptInstall([REDIS_PACKAGE], { log: o.sink, paths: o.paths, component: 'redis' });
    bin = findRedisServer();
    if (!bin)
      throw new InfraError(
        'redis',
        `installed ${REDIS_PACKAGE} but found no redis-server`,
        'check /usr/bin/redis-server',
      );
  }
  const conf = writeConfig(o.paths, port);
  writeAclFile(o.paths);
  const log = logFile(o.paths, 'redis');
  o.log(`starting ${bin.version} on ${REDIS_HOST}:${port} (data: ${o.paths.redisDir}, log: ${log})`);
  const {
    pid,
    ready: version,
    took,
  } = await spawnOwnDaemon(o, {
    component: 'redis',
    host: REDIS_HOST,
    ports: [port],
    marker: conf,
    spawn: { command: bin.path, args: [conf], cwd: o.paths.redisDir, logFile: log },
    ready: () => ping(url),
    what: `Redis to answer PING on ${REDIS_HOST}:${port}`,
  });
  o.log(`ready on ${REDIS_HOST}:${port} in ${took} (pid ${pid})`);
  return handle(url, port, version, 'started', pid);
}

function findRedisServer(): { path: string; version: string } | null {
  const bin =
    which('redis-server') ?? (fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null);
  if (!bin) return null;
  const version = versionOf(bin) ?? '';
  const major = Number(/v=(\d+)\./.exec(version)?.[1] ?? 0);
  if (major < REDIS_MIN_MAJOR) return null;
  return { path: bin, version: `Redis ${/v=([\d.]+)/.exec(version)?.[1] ?? '?'}` };
}

/**
 * Regenerated on every start so port changes apply. Carts and idempotency keys live in
 * Redis, so it must never drop keys on its own: noeviction makes writes fail loudly at
 * the memory cap instead of evicting, and the append-only file survives restarts.
 */
function writeConfig(paths: SurgePaths, port: number): string {
  fs.mkdirSync(paths.redisDir, { recursive: true });
  const conf = path.join(paths.redisDir, 'redis.conf');
  const lines = [
    '# Generated by infra/stack/src/native/redis.ts on every start: edits are overwritten.',
    `bind ${REDIS_HOST}`,
    `port ${port}`,
    // Only loopback can reach it; protected mode would only refuse our own clients.
    'protected-mode no',
    'daemonize no',
    // Redis rewrites its process title; keep the config path in it so ps (and our pid
    // file check, see run-state.ts) can tell our server from another one.
    'proc-title-template "{title} {listen-addr} {server-mode} {config-file}"',
    'supervised no',
    `dir ${JSON.stringify(paths.redisDir)}`,
    'logfile ""',
    'loglevel notice',
    'appendonly yes',
    'appendfsync everysec',
    'save ""',
    'maxmemory 256mb',
    'maxmemory-policy noeviction',
    // The users (redis-acl.ts): default off, so a client without a password gets NOAUTH.
    `aclfile ${JSON.stringify(aclFilePath(paths))}`,
    '',
  ];
  fs.writeFileSync(conf, lines.join('\n'));
  return conf;
}

function aclFilePath(paths: SurgePaths): string {
  return path.join(paths.redisDir, 'users.acl');
}

/** Rewritten on every start (with the development passwords), so new rules apply. */
function writeAclFile(paths: SurgePaths): void {
  fs.writeFileSync(aclFilePath(paths), redisAclFile(redisDevPassword), { mode: 0o600 });
}

/**
 * Creates or resets every service user and the health check user on a running server
 * (ACL SETUSER ... reset: the rules are exactly today's, whatever an older run set). The
 * admin user and `default` are left as they are: the server's owner set them.
 */
export async function provisionRedisUsers(adminUrl: string): Promise<void> {
  const client = oneShotClient(adminUrl);
  try {
    await client.connect();
    // One command per user: each is atomic, so a client never sees a half-set user.
    for (const user of REDIS_SERVICE_USERS) {
      const hash = redisPasswordHash(redisDevPassword(user.name));
      await client.call('ACL', 'SETUSER', user.name, 'reset', 'on', `#${hash}`, ...redisServiceRules(user));
    }
    await client.call(
      'ACL',
      'SETUSER',
      REDIS_HEALTHCHECK_USER,
      'reset',
      'on',
      'nopass',
      ...REDIS_HEALTHCHECK_RULES,
    );
  } finally {
    client.disconnect();
  }
}

function handle(
  url: string,
  port: number,
  version: string,
  source: RedisHandle['source'],
  pid: number | null,
): RedisHandle {
  return {
    component: 'redis',
    host: REDIS_HOST,
    port,
    pid,
    startedByUs: source === 'started',
    source,
    url,
    serviceUrls: Object.fromEntries(
      REDIS_SERVICE_USERS.map((user) => [user.name, redisServiceUrl(url, user.name)]),
    ),
    version,
  };
}

/** A client that connects once, retries nothing and queues nothing: for checks and setup. */
function oneShotClient(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  return client;
}

/** One PING with no retries; resolves with the server version. */
async function ping(url: string): Promise<string> {
  const client = oneShotClient(url);
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    const info = await client.info('server');
    return /redis_version:([\d.]+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    client.disconnect();
  }
}

/** Stops the server only when this handle started it. */
export async function stopRedis(
  handle: RedisHandle,
  opts: { log?: Log; paths?: SurgePaths } = {},
): Promise<void> {
  if (!handle.startedByUs || handle.pid === null) return;
  const log = componentLog(opts.log ?? consoleLog, 'redis');
  const paths = opts.paths ?? surgePaths();
  const result = await stopRecorded(paths, 'redis', log, handle.pid);
  if (result === 'no-record')
    await stopPid('redis', handle.pid, path.join(paths.redisDir, 'redis.conf'), log);
}
