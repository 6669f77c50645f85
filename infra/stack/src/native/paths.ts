import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The daemons this project runs natively. Order matters: it is the stop order. */
export const COMPONENTS = ['toxiproxy', 'jaeger', 'mailpit', 'kafka', 'redis', 'postgres'] as const;
export type Component = (typeof COMPONENTS)[number];
/** Go-built tools that run as commands, not as daemons. */
export type GoTool = 'k6';

export const KAFKA_VERSION = '4.1.1';
/** The SMTP sink services send mail to; built from source with `go install` (see mailpit.ts). */
export const MAILPIT_VERSION = 'v1.31.0';
/** The trace collector and query API services export to; built from source (see jaeger.ts). */
export const JAEGER_VERSION = 'v2.13.0';
/** The jaeger-ui release cut with Jaeger v2.13.0 (both repositories tag v1.76.0 on that day). */
export const JAEGER_UI_VERSION = 'v1.76.0';
/** The load generator `npm run load` runs; built from source (see k6-binary.ts). */
export const K6_VERSION = 'v1.8.1';
/** The TCP proxy between services and their dependencies, for network faults (see toxiproxy.ts). */
export const TOXIPROXY_VERSION = 'v2.12.0';

/**
 * Every location the native infrastructure reads or writes. Run-time state lives in the
 * clone (`.surge/`, gitignored) so two clones never share data; downloads live in the
 * user cache so every clone reuses them.
 */
export interface SurgePaths {
  repoRoot: string;
  /** `<repo>/.surge` unless SURGE_STATE_DIR says otherwise. */
  stateDir: string;
  logsDir: string;
  runDir: string;
  postgresDir: string;
  postgresData: string;
  redisDir: string;
  kafkaDir: string;
  kafkaData: string;
  /** `${XDG_CACHE_HOME:-~/.cache}/surge` */
  cacheDir: string;
  kafkaCacheDir: string;
  kafkaLibs: string;
  kafkaPom: string;
  kafkaLog4j: string;
  /** `.surge/mailpit`: its SQLite database of captured mail. */
  mailpitDir: string;
  /** `~/.cache/surge/mailpit-<version>`: the built binary in bin/, Go's caches in go/. */
  mailpitCacheDir: string;
  mailpitBin: string;
  /** `.surge/jaeger`: the config written at each start (traces live in memory only). */
  jaegerDir: string;
  /** `~/.cache/surge/jaeger-<version>`: the built binary in bin/, Go's caches in go/ while building. */
  jaegerCacheDir: string;
  jaegerBin: string;
  /**
   * A built Jaeger UI (index.html and static/), served by Jaeger when present:
   * SURGE_JAEGER_UI_DIR, else `~/.cache/surge/jaeger-ui-<version>` (see jaeger-ui.ts).
   */
  jaegerUiDir: string;
  /** `~/.cache/surge/k6-<version>`: the built binary in bin/, Go's caches in go/ while building. */
  k6CacheDir: string;
  k6Bin: string;
  /** `.surge/toxiproxy`: its working folder (proxies live in its memory only). */
  toxiproxyDir: string;
  /** `~/.cache/surge/toxiproxy-<version>`: the built binary in bin/, Go's caches in go/ while building. */
  toxiproxyCacheDir: string;
  toxiproxyBin: string;
}

/** Walks up from this file to the workspace root, so it works from src/ (tsx) and dist/ alike. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find the Surge repository root (pnpm-workspace.yaml) above ${start}`);
    dir = parent;
  }
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CACHE_HOME'];
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'surge');
}

export function surgePaths(
  env: NodeJS.ProcessEnv = process.env,
  repoRoot: string = findRepoRoot(),
): SurgePaths {
  const stateDir = path.resolve(env['SURGE_STATE_DIR'] || path.join(repoRoot, '.surge'));
  const cacheDir = cacheRoot(env);
  const kafkaCacheDir = path.join(cacheDir, `kafka-${KAFKA_VERSION}`);
  const mailpitCacheDir = path.join(cacheDir, `mailpit-${MAILPIT_VERSION}`);
  const jaegerCacheDir = path.join(cacheDir, `jaeger-${JAEGER_VERSION}`);
  const k6CacheDir = path.join(cacheDir, `k6-${K6_VERSION}`);
  const toxiproxyCacheDir = path.join(cacheDir, `toxiproxy-${TOXIPROXY_VERSION}`);
  return {
    repoRoot,
    stateDir,
    logsDir: path.join(stateDir, 'logs'),
    runDir: path.join(stateDir, 'run'),
    postgresDir: path.join(stateDir, 'postgres'),
    postgresData: path.join(stateDir, 'postgres', 'data'),
    redisDir: path.join(stateDir, 'redis'),
    kafkaDir: path.join(stateDir, 'kafka'),
    kafkaData: path.join(stateDir, 'kafka', 'data'),
    cacheDir,
    kafkaCacheDir,
    kafkaLibs: path.join(kafkaCacheDir, 'libs'),
    kafkaPom: path.join(repoRoot, 'infra', 'stack', 'kafka', 'pom.xml'),
    kafkaLog4j: path.join(repoRoot, 'infra', 'stack', 'kafka', 'log4j2.properties'),
    mailpitDir: path.join(stateDir, 'mailpit'),
    mailpitCacheDir,
    mailpitBin: path.join(mailpitCacheDir, 'bin', 'mailpit'),
    jaegerDir: path.join(stateDir, 'jaeger'),
    jaegerCacheDir,
    jaegerBin: path.join(jaegerCacheDir, 'bin', 'jaeger'),
    jaegerUiDir: path.resolve(
      env['SURGE_JAEGER_UI_DIR'] || path.join(cacheDir, `jaeger-ui-${JAEGER_UI_VERSION}`),
    ),
    k6CacheDir,
    k6Bin: path.join(k6CacheDir, 'bin', 'k6'),
    toxiproxyDir: path.join(stateDir, 'toxiproxy'),
    toxiproxyCacheDir,
    toxiproxyBin: path.join(toxiproxyCacheDir, 'bin', 'toxiproxy-server'),
  };
}

export function logFile(paths: SurgePaths, name: string): string {
  return path.join(paths.logsDir, `${name}.log`);
}

export function runFile(paths: SurgePaths, name: Component): string {
  return path.join(paths.runDir, `${name}.json`);
}

/** Shortens absolute paths under $HOME for log lines. */
export function pretty(p: string): string {
  const home = os.homedir();
  return p.startsWith(home + path.sep) ? `~${p.slice(home.length)}` : p;
}
