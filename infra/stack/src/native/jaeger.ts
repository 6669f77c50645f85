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
import { ensureJaegerBinary } from './jaeger-binary';
import { isUiPage, jaegerUiAssets } from './jaeger-ui';
import { InfraError, type Log, errorMessage } from './log';
import { JAEGER_VERSION, type SurgePaths, logFile } from './paths';
import { ensureDaemon, spawnOwnDaemon } from './own-daemon';
import { describePortOwner, isPortOpen } from './ports';

export const JAEGER_HOST = '127.0.0.1';
export const OTLP_HTTP_DEFAULT_PORT = 4318;
export const OTLP_GRPC_DEFAULT_PORT = 4317;
export const JAEGER_QUERY_DEFAULT_PORT = 16686;
export const JAEGER_QUERY_GRPC_DEFAULT_PORT = 16685;

/** Jaeger v2: receives the services' traces over OTLP and answers the query API. */
export interface JaegerHandle extends BaseHandle {
  component: 'jaeger';
  /** What services read as OTEL_EXPORTER_OTLP_ENDPOINT (OTLP over HTTP). `port` is its port. */
  otlpEndpoint: string;
  /** Query API and UI (JAEGER_QUERY_URL); '' when an external collector's query API is unknown. */
  queryUrl: string;
  /** The web UI (JAEGER_UI_URL): queryUrl when it serves a real UI, '' for the placeholder page. */
  uiUrl: string;
  version: string;
}

/** What a query API says about itself. */
interface JaegerInfo {
  version: string;
  /** Whether its index page is the UI rather than the placeholder of a binary built without it. */
  ui: boolean;
}

export interface JaegerPorts {
  otlpHttp: number;
  otlpGrpc: number;
  query: number;
  queryGrpc: number;
}

export function jaegerPorts(env: NodeJS.ProcessEnv): JaegerPorts {
  return {
    otlpHttp: portFromEnv(env, 'SURGE_JAEGER_OTLP_HTTP_PORT', OTLP_HTTP_DEFAULT_PORT),
    otlpGrpc: portFromEnv(env, 'SURGE_JAEGER_OTLP_GRPC_PORT', OTLP_GRPC_DEFAULT_PORT),
    query: portFromEnv(env, 'SURGE_JAEGER_PORT', JAEGER_QUERY_DEFAULT_PORT),
    queryGrpc: portFromEnv(env, 'SURGE_JAEGER_QUERY_GRPC_PORT', JAEGER_QUERY_GRPC_DEFAULT_PORT),
  };
}

/**
 * Makes a trace collector reachable: OTEL_EXPORTER_OTLP_ENDPOINT (and JAEGER_QUERY_URL) if
 * set; else the Jaeger this project already runs; else a Jaeger already listening; else our
 * own, built once from source into ~/.cache/surge/jaeger-<version>, with in-memory storage.
 */
export async function ensureJaeger(opts: EnsureOptions = {}): Promise<JaegerHandle> {
  const o = resolveOptions('jaeger', opts, 20_000);
  const external = o.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (external) return useExternal(external, o.env['JAEGER_QUERY_URL'] ?? '', o);
  const ports = jaegerPorts(o.env);
  return ensureDaemon(o, {
    component: 'jaeger',
    host: JAEGER_HOST,
    port: ports.otlpHttp,
    portEnv: 'SURGE_JAEGER_OTLP_HTTP_PORT',
    otherPorts: [
      { index: 2, port: ports.query, env: 'SURGE_JAEGER_PORT', what: 'Jaeger already serves its query API' },
    ],
    probePorts: [ports.otlpHttp, ports.query],
    reuseOurs: async (record) => {
      const info = await jaegerInfo(queryUrlOf(ports));
      o.log(`reusing the Jaeger Surge process ${record.startedBy.pid} started (pid ${record.pid})`);
      if (!info.ui && jaegerUiAssets(o.paths))
        o.log(
          'a Jaeger UI build is there now, but this Jaeger started without it: restart the infrastructure to serve it',
        );
      return handle(ports, info, 'ours-running', record.pid);
    },
    reuseExisting: () => reuseExisting(ports, o),
    startOwn: () => startOwn(ports, o),
  });
}

async function useExternal(endpoint: string, queryUrl: string, o: Resolved): Promise<JaegerHandle> {
  let parsed: URL;
  try {
    parsed = new URL(endpoint);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http: or https:');
  } catch (err) {
    throw new InfraError(
      'jaeger',
      `OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint} is not an OTLP/HTTP URL (${errorMessage(err)})`,
      'use http://HOST:4318, or unset it to let Surge run its own Jaeger',
    );
  }
  let info: JaegerInfo = { version: 'unknown', ui: false };
  if (queryUrl) {
    try {
      info = await jaegerInfo(queryUrl);
    } catch (err) {
      throw new InfraError(
        'jaeger',
        `cannot use JAEGER_QUERY_URL: ${errorMessage(err)}`,
        'fix it, or unset OTEL_EXPORTER_OTLP_ENDPOINT and JAEGER_QUERY_URL to let Surge run its own Jaeger',
      );
    }
  }
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  o.log(
    `using OTEL_EXPORTER_OTLP_ENDPOINT (${endpoint}${queryUrl ? `, query ${queryUrl}` : ''}); nothing to start`,
  );
  return {
    component: 'jaeger',
    host: parsed.hostname,
    port,
    pid: null,
    startedByUs: false,
    source: 'external',
    otlpEndpoint: endpoint,
    queryUrl,
    uiUrl: info.ui ? queryUrl : '',
    version: info.version,
  };
}

/** A Jaeger a developer runs already (all-in-one, a container) is used and never stopped. */
async function reuseExisting(ports: JaegerPorts, o: Resolved): Promise<JaegerHandle> {
  const queryUrl = queryUrlOf(ports);
  let info: JaegerInfo;
  try {
    info = await jaegerInfo(queryUrl);
  } catch (err) {
    throw new InfraError(
      'jaeger',
      `port ${JAEGER_HOST}:${ports.query} does not answer like Jaeger's query API${describePortOwner(ports.query)}: ${errorMessage(err)}`,
      "set SURGE_JAEGER_PORT and SURGE_JAEGER_OTLP_HTTP_PORT to free ports to run Surge's own Jaeger, or OTEL_EXPORTER_OTLP_ENDPOINT (and JAEGER_QUERY_URL) to use another collector",
    );
  }
  if (!(await isPortOpen(JAEGER_HOST, ports.otlpHttp))) {
    throw new InfraError(
      'jaeger',
      `a Jaeger answers on ${queryUrl} but nothing accepts OTLP/HTTP on ${JAEGER_HOST}:${ports.otlpHttp}`,
      `set OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:PORT and JAEGER_QUERY_URL=${queryUrl} to use that Jaeger, or SURGE_JAEGER_* ports to run Surge's own`,
    );
  }
  o.log(
    `reusing the Jaeger ${info.version} already listening on ${queryUrl} (not started by us, will not be stopped)`,
  );
  return handle(ports, info, 'existing', null);
}

async function startOwn(ports: JaegerPorts, o: Resolved): Promise<JaegerHandle> {
  const bin = await ensureJaegerBinary(o);
  fs.mkdirSync(o.paths.jaegerDir, { recursive: true });
  // Rewritten at every start (the ports may have moved). Its path is in the command line,
  // so it doubles as the marker that proves a live pid is still our Jaeger (run-state.ts).
  const config = path.join(o.paths.jaegerDir, 'config.yaml');
  const uiAssets = jaegerUiAssets(o.paths);
  fs.writeFileSync(config, jaegerConfig(ports, maxTraces(o.env), uiAssets));
  const log = logFile(o.paths, 'jaeger');
  const queryUrl = queryUrlOf(ports);
  o.log(
    `starting Jaeger ${JAEGER_VERSION}: OTLP http://${JAEGER_HOST}:${ports.otlpHttp} (gRPC ${ports.otlpGrpc}), ${uiAssets ? `UI and query API ${queryUrl} (UI from ${uiAssets})` : `query API ${queryUrl} (no UI build: \`npm run stack -- jaeger-ui\` says how)`} (log: ${log})`,
  );
  const {
    pid,
    ready: info,
    took,
  } = await spawnOwnDaemon(o, {
    component: 'jaeger',
    host: JAEGER_HOST,
    ports: [ports.otlpHttp, ports.otlpGrpc, ports.query, ports.queryGrpc],
    marker: config,
    spawn: { command: bin, args: ['--config', config], cwd: o.paths.jaegerDir, logFile: log },
    ready: async () => {
      const answer = await jaegerInfo(queryUrl);
      return (await isPortOpen(JAEGER_HOST, ports.otlpHttp)) ? answer : undefined;
    },
    what: `Jaeger to answer ${queryUrl}/api/services and accept OTLP on ${JAEGER_HOST}:${ports.otlpHttp}`,
    intervalMs: 100,
  });
  o.log(`ready in ${took} (pid ${pid})`);
  return handle(ports, info, 'started', pid);
}

/** Development traces in memory (gone at stop), bounded so a load test cannot exhaust RAM. */
function maxTraces(env: NodeJS.ProcessEnv): number {
  const raw = Number(env['SURGE_JAEGER_MAX_TRACES']);
  return Number.isInteger(raw) && raw > 0 ? raw : 20_000;
}

/**
 * Jaeger v2 is an OpenTelemetry Collector: OTLP receivers, a batch processor, the memory
 * store, and the query extension. Loopback only; its own metrics (port 8888) are off.
 * `ui.assets_path` makes the query extension serve a UI build from disk instead of the
 * placeholder page embedded in a binary built without the UI.
 */
export function jaegerConfig(ports: JaegerPorts, traces: number, uiAssets?: string): string {
  const at = (port: number) => `${JAEGER_HOST}:${port}`;
  const ui = uiAssets ? `\n    ui:\n      assets_path: ${JSON.stringify(uiAssets)}` : '';
  return `# Written by infra/stack/src/native/jaeger.ts at every start; edits are overwritten.
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
extensions:
  jaeger_storage:
    backends:
      surge_memory:
        memory:
          max_traces: ${traces}
  jaeger_query:
    # On by default in v2: the query service would trace its own API calls into the store.
    enable_tracing: false${ui}
    storage:
      traces: surge_memory
    http:
      endpoint: ${at(ports.query)}
    grpc:
      endpoint: ${at(ports.queryGrpc)}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: ${at(ports.otlpGrpc)}
      http:
        endpoint: ${at(ports.otlpHttp)}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: surge_memory
`;
}

/**
 * Proves a query API is Jaeger's (GET /api/services answers `{ data: [...] }`), reads its
 * version from the JAEGER_VERSION the query service injects into its index page, and tells
 * the UI from the placeholder page.
 */
export async function jaegerInfo(queryUrl: string): Promise<JaegerInfo> {
  const res = await fetch(`${queryUrl}/api/services`, { signal: AbortSignal.timeout(2_000) });
  if (res.status !== 200) throw new Error(`GET /api/services answered ${res.status}`);
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || !('data' in body)) throw new Error('GET /api/services did not answer like Jaeger');
  const page = await fetch(`${queryUrl}/`, { signal: AbortSignal.timeout(2_000) })
    .then((index) => index.text())
    .catch(() => '');
  const injected = /JAEGER_VERSION\s*=\s*(\{[^;\n]*\})/.exec(page)?.[1];
  let version = 'unknown';
  try {
    const found = (JSON.parse(injected ?? '{}') as { gitVersion?: unknown }).gitVersion;
    if (typeof found === 'string' && found) version = found;
  } catch {
    // an index page without a parsable version: still Jaeger, version unknown
  }
  return { version, ui: isUiPage(page) };
}

function queryUrlOf(ports: JaegerPorts): string {
  return `http://${JAEGER_HOST}:${ports.query}`;
}

function handle(
  ports: JaegerPorts,
  info: JaegerInfo,
  source: JaegerHandle['source'],
  pid: number | null,
): JaegerHandle {
  return {
    component: 'jaeger',
    host: JAEGER_HOST,
    port: ports.otlpHttp,
    pid,
    startedByUs: source === 'started',
    source,
    otlpEndpoint: `http://${JAEGER_HOST}:${ports.otlpHttp}`,
    queryUrl: queryUrlOf(ports),
    uiUrl: info.ui ? queryUrlOf(ports) : '',
    version: info.version,
  };
}

/** Stops Jaeger only when this handle started it. */
export async function stopJaeger(
  handle: JaegerHandle,
  opts: { log?: Log; paths?: SurgePaths } = {},
): Promise<void> {
  await stopOwnedDaemon('jaeger', handle, (paths) => path.join(paths.jaegerDir, 'config.yaml'), opts);
}
