import fs from 'node:fs';
import path from 'node:path';

import type { Resolved } from './daemon';
import { runCommand, versionOf, which } from './exec';
import { InfraError } from './log';
import { JAEGER_VERSION, logFile, pretty } from './paths';
import { tailFile } from './process';

const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
/**
 * Jaeger tags every v2 release twice, and only the v1 tag is a valid version of the module
 * path (no /v2 suffix): v1.76.0 is the commit of v2.13.0, whose cmd/jaeger is Jaeger v2.
 */
const JAEGER_MODULE_VERSION = 'v1.76.0';

/**
 * The Jaeger binary, built once per version from its Go module into
 * ~/.cache/surge/jaeger-<version>/bin (about 85 MB) and reused by every clone. Jaeger is
 * not a Debian package and no release binary can be downloaded here; the Go module proxy
 * can be reached. As for Mailpit, `go mod download` + `go build` instead of `go install`,
 * which also asks the proxy for version lists (refused here). Measured on 2 cores: about
 * 5 to 7 minutes, with 1.3 GB of modules and 1.6 GB of build cache under the cache folder
 * during the build, removed afterwards.
 *
 * The web UI is not in the module (jaeger-ui is a separate JavaScript build that is not
 * published to any registry reachable here), so the binary serves a placeholder page at
 * the UI address; the query API (/api/services, /api/traces) is complete.
 */
export async function ensureJaegerBinary(o: Resolved): Promise<string> {
  const bin = o.paths.jaegerBin;
  if (isExecutable(bin)) return bin;
  const go = which('go', o.env);
  if (!go) {
    throw new InfraError(
      'jaeger',
      `Jaeger ${JAEGER_VERSION} is built from source once, with Go, and \`go\` is not on PATH`,
      'install Go 1.24.6 or later from https://go.dev/dl/, or set OTEL_EXPORTER_OTLP_ENDPOINT (and JAEGER_QUERY_URL) to a collector you run',
    );
  }
  const binDir = path.dirname(bin);
  // Build into a private folder and rename it into place: an interrupted build, or
  // another clone building at the same moment, never leaves a half-written binary.
  const staging = `${binDir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const buildLog = logFile(o.paths, 'jaeger-build');
  o.log(
    `building Jaeger ${JAEGER_VERSION} from source with ${versionOf(go, 'version') ?? go} into ${pretty(binDir)} ` +
      `(once; fetches its modules and compiles, 5 to 7 minutes on 2 cores and 3 GB of temporary disk; log: ${buildLog})`,
  );
  const started = Date.now();
  const env = goEnv(o);
  const run = (args: string[], cwd: string, what: string) =>
    runCommand(go, args, { cwd, env, logFile: buildLog, heartbeat: { log: o.log, what } });
  const fail = (step: string, code: number): never => {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new InfraError(
      'jaeger',
      `${step} failed (exit ${code}):\n${tailFile(buildLog, 20)}`,
      `see ${buildLog}; check that the Go module proxy is reachable (GOPROXY=${o.env['GOPROXY'] ?? 'default'}) ` +
        'and that Go is 1.24.6+ (or GOTOOLCHAIN allows fetching it); ' +
        'or set OTEL_EXPORTER_OTLP_ENDPOINT (and JAEGER_QUERY_URL) to a collector you run',
    );
  };

  const module = `${JAEGER_MODULE}@${JAEGER_MODULE_VERSION}`;
  fs.mkdirSync(o.paths.jaegerCacheDir, { recursive: true });
  const download = await run(['mod', 'download', module], o.paths.jaegerCacheDir, 'fetching Jaeger');
  const source = path.join(env['GOMODCACHE'] ?? '', module);
  if (download.code !== 0 || !fs.existsSync(path.join(source, 'go.mod')))
    fail(`go mod download ${module}`, download.code);
  o.log(`fetched ${module}; now fetching its dependencies and compiling`);
  const built = path.join(staging, 'jaeger');
  const buildArgs = [
    'build',
    '-trimpath',
    '-ldflags',
    `-s -w -X ${JAEGER_MODULE}/internal/version.latestVersion=${JAEGER_VERSION}`,
    '-o',
    built,
    './cmd/jaeger',
  ];
  const compile = await run(buildArgs, source, 'compiling Jaeger');
  if (compile.code !== 0 || !isExecutable(built))
    fail(`go ${buildArgs.join(' ')} (in ${source})`, compile.code);

  o.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (isExecutable(bin)) {
    fs.rmSync(staging, { recursive: true, force: true }); // another clone finished first
  } else {
    fs.rmSync(binDir, { recursive: true, force: true });
    fs.renameSync(staging, binDir);
  }
  fs.rmSync(goCacheDir(o), { recursive: true, force: true });
  return bin;
}

/** The build's own Go environment: caches under the Jaeger cache folder, nothing from the user's GOFLAGS. */
function goEnv(o: Resolved): NodeJS.ProcessEnv {
  const goDir = goCacheDir(o);
  return {
    ...o.env,
    GOPATH: goDir,
    GOMODCACHE: path.join(goDir, 'mod'),
    GOCACHE: path.join(goDir, 'build'),
    // Writable module cache, so `rm -rf ~/.cache/surge` works; no user GOFLAGS (-mod=vendor...).
    GOFLAGS: '-modcacherw',
    GO111MODULE: 'on',
    GOWORK: 'off',
    // Pure Go: no C compiler needed, a static binary.
    CGO_ENABLED: '0',
  };
}

function goCacheDir(o: Resolved): string {
  return path.join(o.paths.jaegerCacheDir, 'go');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
