import { aptInstall } from './apt';
import { type EnsureOptions, portFromEnv, stopRecorded } from './daemon';
import { which } from './exec';
import { type JaegerHandle, JAEGER_HOST, OTLP_HTTP_DEFAULT_PORT, ensureJaeger, stopJaeger } from './jaeger';
import { JAVA_PACKAGE } from './kafka-jars';
import { type KafkaHandle, KAFKA_DEFAULT_PORT, KAFKA_HOST, ensureKafka, stopKafka } from './kafka';
import { InfraError, type Log, componentLog, consoleLog, errorMessage } from './log';
import { COMPONENTS, type Component, type SurgePaths, surgePaths } from './paths';
import { PG_PACKAGE, findPgBinaries } from './postgres-bin';
import { type PostgresHandle, PG_DEFAULT_PORT, PG_HOST, ensurePostgres, stopPostgres } from './postgres';
import { type MailpitHandle, MAILPIT_HOST, SMTP_DEFAULT_PORT, ensureMailpit, stopMailpit } from './mailpit';
import { isPortOpen, portOwner } from './ports';
import { isAlive } from './process';
import {
  type RedisHandle,
  REDIS_DEFAULT_PORT,
  REDIS_HOST,
  REDIS_PACKAGE,
  ensureRedis,
  stopRedis,
} from './redis';
import { redisServiceUrlVariable } from './redis-acl';
import { type RunRecord, isOurLiveServer, readRunRecord } from './run-state';
import {
  type ToxiproxyHandle,
  TOXIPROXY_DEFAULT_PORT,
  TOXIPROXY_HOST,
  ensureToxiproxy,
  networkFaultsRequested,
  stopToxiproxy,
} from './toxiproxy';

export { provisionDatabase, devPassword } from './provision';

export interface Infra {
  postgres: PostgresHandle;
  redis: RedisHandle;
  kafka: KafkaHandle;
  mailpit: MailpitHandle;
  jaeger: JaegerHandle;
  /** Only with network faults on (SURGE_NETWORK_FAULTS=on, `up --network-faults`). */
  toxiproxy?: ToxiproxyHandle;
  paths: SurgePaths;
  /** What services read to find the infrastructure; pass it into their environment. */
  env: {
    SURGE_PG_ADMIN_URL: string;
    /** Redis as its admin user (setup and test assertions); services get their own below. */
    REDIS_URL: string;
    KAFKA_BROKERS: string;
    SMTP_URL: string;
    /** Mailpit's web UI and API (tests read captured mail there). */
    MAILPIT_URL: string;
    /** Where services send traces (OTLP over HTTP; the telemetry register reads it). */
    OTEL_EXPORTER_OTLP_ENDPOINT: string;
    /** Jaeger's query API (and UI); '' for an external collector whose query API was not given. */
    JAEGER_QUERY_URL: string;
    /** Jaeger's web UI; '' when Jaeger has no UI build to serve (see native/jaeger-ui.ts). */
    JAEGER_UI_URL: string;
  } & {
    /** Each service's own REDIS_URL (its ACL user), e.g. SURGE_REDIS_URL_GATEWAY: tests read them. */
    [variable: `SURGE_REDIS_URL_${string}`]: string;
  };
}

export type InfraOptions = Omit<EnsureOptions, 'timeoutMs'> & {
  /** Also run Toxiproxy, for `npm run stack -- partition`; default: SURGE_NETWORK_FAULTS. */
  networkFaults?: boolean;
};

/**
 * Makes PostgreSQL, Redis, Kafka, Mailpit and Jaeger (and Toxiproxy with network faults on) reachable, starting whatever is missing, in parallel.
 * Missing Debian packages are installed first in one apt-get run. If one component
 * fails, the ones this call started are stopped again before the error is thrown.
 */
export async function ensureInfra(opts: InfraOptions = {}): Promise<Infra> {
  const log = opts.log ?? consoleLog;
  const env = opts.env ?? process.env;
  const paths = opts.paths ?? surgePaths(env);
  const common: EnsureOptions = { log, paths, env, ...(opts.signal ? { signal: opts.signal } : {}) };
  const started = Date.now();

  const packages = await packagesToInstall(env);
  if (packages.length > 0) await aptInstall(packages, { log, paths, component: 'apt' });

  const results = await Promise.allSettled([
    ensurePostgres(common),
    ensureRedis(common),
    ensureKafka(common),
    ensureMailpit(common),
    ensureJaeger(common),
  ]);
  const [pg, redis, kafka, mailpit, jaeger] = results;
  if (
    pg.status === 'fulfilled' &&
    redis.status === 'fulfilled' &&
    kafka.status === 'fulfilled' &&
    mailpit.status === 'fulfilled' &&
    jaeger.status === 'fulfilled'
  ) {
    // After the rest: proxies point at them, and a first Go build should not delay them.
    const networkFaults = opts.networkFaults ?? networkFaultsRequested(env);
    const toxiproxy = networkFaults ? await ensureToxiproxy(common) : undefined;
    log(`[infra] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return {
      ...(toxiproxy ? { toxiproxy } : {}),
      postgres: pg.value,
      redis: redis.value,
      kafka: kafka.value,
      mailpit: mailpit.value,
      jaeger: jaeger.value,
      paths,
      env: {
        SURGE_PG_ADMIN_URL: pg.value.adminUrl,
        REDIS_URL: redis.value.url,
        KAFKA_BROKERS: kafka.value.brokers.join(','),
        SMTP_URL: mailpit.value.smtpUrl,
        MAILPIT_URL: mailpit.value.apiUrl,
        OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.value.otlpEndpoint,
        JAEGER_QUERY_URL: jaeger.value.queryUrl,
        JAEGER_UI_URL: jaeger.value.uiUrl,
        ...Object.fromEntries(
          Object.entries(redis.value.serviceUrls).map(([service, url]) => [
            redisServiceUrlVariable(service),
            url,
          ]),
        ),
      },
    };
  }
  // Undo our own half of a failed start, in the usual order, so nothing is left running.
  if (jaeger.status === 'fulfilled') await stopJaeger(jaeger.value, { log, paths }).catch(() => undefined);
  if (mailpit.status === 'fulfilled') await stopMailpit(mailpit.value, { log, paths }).catch(() => undefined);
  if (kafka.status === 'fulfilled') await stopKafka(kafka.value, { log, paths }).catch(() => undefined);
  if (redis.status === 'fulfilled') await stopRedis(redis.value, { log, paths }).catch(() => undefined);
  if (pg.status === 'fulfilled') await stopPostgres(pg.value, { log, paths }).catch(() => undefined);
  const failures = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason as unknown);
  if (failures.length === 1) throw failures[0];
  throw new InfraError(
    'infra',
    `${failures.length} components failed to start:\n\n${failures.map((f) => errorMessage(f)).join('\n\n')}`,
  );
}

/** Stops only what this process started: Jaeger, Mailpit, Kafka, then Redis, then Postgres. */
export async function stopInfra(infra: Infra, opts: { log?: Log } = {}): Promise<void> {
  const log = opts.log ?? consoleLog;
  const errors: string[] = [];
  const steps: Array<() => Promise<void>> = [
    async () => {
      if (infra.toxiproxy) await stopToxiproxy(infra.toxiproxy, { log, paths: infra.paths });
    },
    () => stopJaeger(infra.jaeger, { log, paths: infra.paths }),
    () => stopMailpit(infra.mailpit, { log, paths: infra.paths }),
    () => stopKafka(infra.kafka, { log, paths: infra.paths }),
    () => stopRedis(infra.redis, { log, paths: infra.paths }),
    () => stopPostgres(infra.postgres, { log, paths: infra.paths }),
  ];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      errors.push(errorMessage(err));
    }
  }
  if (errors.length > 0) throw new InfraError('infra', `stopping failed:\n${errors.join('\n')}`);
}

/**
 * `down`: stops every server a pid file in .surge/run says Surge started, whoever started
 * it (a crashed run, another terminal). Servers Surge did not start are never touched.
 */
export async function stopRecordedInfra(opts: { log?: Log; paths?: SurgePaths } = {}): Promise<void> {
  const log = opts.log ?? consoleLog;
  const paths = opts.paths ?? surgePaths();
  for (const component of COMPONENTS) {
    const clog = componentLog(log, component);
    const result = await stopRecorded(paths, component, clog);
    if (result === 'no-record') clog('not running (no pid file)');
    if (result === 'not-running') clog('was not running (removed a stale pid file)');
  }
}

export interface ComponentStatus {
  component: Component;
  host: string;
  port: number;
  /**
   * running: started by Surge and alive; stopped: nothing listens; foreign: something Surge
   * did not start listens on the port; external: an env var points elsewhere.
   */
  state: 'running' | 'stopped' | 'foreign' | 'external';
  pid: number | null;
  record: RunRecord | null;
  /** Is the process that started it still running? (false: `down` cleans it up) */
  ownerAlive: boolean | null;
  detail: string;
}

export async function infraStatus(
  opts: { env?: NodeJS.ProcessEnv; paths?: SurgePaths } = {},
): Promise<ComponentStatus[]> {
  const env = opts.env ?? process.env;
  const paths = opts.paths ?? surgePaths(env);
  const targets: Record<Component, { host: string; port: number; external: string | undefined }> = {
    toxiproxy: {
      host: TOXIPROXY_HOST,
      port: portFromEnv(env, 'SURGE_TOXIPROXY_PORT', TOXIPROXY_DEFAULT_PORT),
      external: undefined,
    },
    jaeger: {
      host: JAEGER_HOST,
      port: portFromEnv(env, 'SURGE_JAEGER_OTLP_HTTP_PORT', OTLP_HTTP_DEFAULT_PORT),
      external: env['OTEL_EXPORTER_OTLP_ENDPOINT'],
    },
    mailpit: {
      host: MAILPIT_HOST,
      port: portFromEnv(env, 'SURGE_SMTP_PORT', SMTP_DEFAULT_PORT),
      external: env['SMTP_URL'],
    },
    kafka: {
      host: KAFKA_HOST,
      port: portFromEnv(env, 'SURGE_KAFKA_PORT', KAFKA_DEFAULT_PORT),
      external: env['KAFKA_BROKERS'],
    },
    redis: {
      host: REDIS_HOST,
      port: portFromEnv(env, 'SURGE_REDIS_PORT', REDIS_DEFAULT_PORT),
      external: env['REDIS_URL'],
    },
    postgres: {
      host: PG_HOST,
      port: portFromEnv(env, 'SURGE_PG_PORT', PG_DEFAULT_PORT),
      external: env['SURGE_PG_ADMIN_URL'],
    },
  };
  const out: ComponentStatus[] = [];
  for (const component of [...COMPONENTS].reverse()) {
    const t = targets[component];
    const base = { component, host: t.host, port: t.port };
    if (t.external) {
      out.push({
        ...base,
        state: 'external',
        pid: null,
        record: null,
        ownerAlive: null,
        detail: `from env: ${redact(t.external)}`,
      });
      continue;
    }
    const record = readRunRecord(paths, component);
    if (record && isOurLiveServer(record)) {
      const ownerAlive = isAlive(record.startedBy.pid);
      out.push({
        ...base,
        port: record.port,
        state: 'running',
        pid: record.pid,
        record,
        ownerAlive,
        detail:
          `started ${record.startedAt} by pid ${record.startedBy.pid} (${record.startedBy.command}, ${record.startedBy.user})` +
          (ownerAlive ? '' : ' — that process is gone; `down` stops it'),
      });
      continue;
    }
    const open = await isPortOpen(t.host, t.port);
    out.push({
      ...base,
      state: open ? 'foreign' : 'stopped',
      pid: null,
      record: null,
      ownerAlive: null,
      detail: open
        ? `port in use by a server Surge did not start (${portOwner(t.port) ?? 'unknown'}); reused if compatible`
        : '',
    });
  }
  return out;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Debian packages the coming start needs: only for components we will run ourselves. */
async function packagesToInstall(env: NodeJS.ProcessEnv): Promise<string[]> {
  const pkgs: string[] = [];
  if (
    !env['SURGE_PG_ADMIN_URL'] &&
    !findPgBinaries() &&
    !(await isPortOpen(PG_HOST, portFromEnv(env, 'SURGE_PG_PORT', PG_DEFAULT_PORT)))
  ) {
    pkgs.push(PG_PACKAGE);
  }
  if (
    !env['REDIS_URL'] &&
    !which('redis-server') &&
    !(await isPortOpen(REDIS_HOST, portFromEnv(env, 'SURGE_REDIS_PORT', REDIS_DEFAULT_PORT)))
  ) {
    pkgs.push(REDIS_PACKAGE);
  }
  if (
    !env['KAFKA_BROKERS'] &&
    !which('java') &&
    !(await isPortOpen(KAFKA_HOST, portFromEnv(env, 'SURGE_KAFKA_PORT', KAFKA_DEFAULT_PORT)))
  ) {
    pkgs.push(JAVA_PACKAGE);
  }
  return pkgs;
}
