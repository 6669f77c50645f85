import fs from 'node:fs';
import path from 'node:path';

import type { Resolved } from './daemon';
import { runCommand, versionOf, which } from './exec';
import { InfraError } from './log';
import { logFile, pretty, type Component } from './paths';
import { tailFile } from './process';

export interface GoBinarySpec {
  component: Component;
  /** For people: `Mailpit v1.31.0`. */
  label: string;
  /** Module path and the version to fetch from the Go module proxy. */
  module: string;
  moduleVersion: string;
  /** The package to build inside the module (`.`, `./cmd/jaeger`). */
  pkg: string;
  ldflags: string;
  /** Where the binary goes (its folder is replaced whole). */
  bin: string;
  /** Per-tool folder for the temporary GOPATH, module and build caches. */
  cacheDir: string;
  /** What the first build costs, for the progress line. */
  costHint: string;
  /** Which Go the module needs, for the error message. */
  goHint: string;
  /** How to do without building, for the error message. */
  insteadHint: string;
}

/**
 * A tool that is no Debian package and has no downloadable release here, built once from
 * its Go module and reused by every clone. Same result as `go install module@version`
 * (the module's go.mod and go.sum pin every dependency), done as `go mod download` +
 * `go build`: `go install module@version` also asks the proxy for the module's version
 * list, which proxies that serve pinned versions but not lists (ours answers 403) refuse.
 * Built into a private folder and renamed into place, so an interrupted build or another
 * clone building at the same moment never leaves a half-written binary; the Go caches are
 * removed afterwards (they are per version and never reused).
 */
export async function buildGoBinary(o: Resolved, spec: GoBinarySpec): Promise<string> {
  if (isExecutable(spec.bin)) return spec.bin;
  const go = which('go', o.env);
  if (!go) {
    throw new InfraError(
      spec.component,
      `${spec.label} is built from source once, with Go, and \`go\` is not on PATH`,
      `install ${spec.goHint}, or ${spec.insteadHint}`,
    );
  }
  const binDir = path.dirname(spec.bin);
  const staging = `${binDir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.mkdirSync(spec.cacheDir, { recursive: true });
  const buildLog = logFile(o.paths, `${spec.component}-build`);
  o.log(
    `building ${spec.label} from source with ${versionOf(go, 'version') ?? go} into ${pretty(binDir)} (once; ${spec.costHint}; log: ${buildLog})`,
  );
  const started = Date.now();
  const env = goEnv(o, spec.cacheDir);
  const run = (args: string[], cwd: string, what: string) =>
    runCommand(go, args, { cwd, env, logFile: buildLog, heartbeat: { log: o.log, what } });
  const fail = (step: string, code: number): never => {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new InfraError(
      spec.component,
      `${step} failed (exit ${code}):\n${tailFile(buildLog, 20)}`,
      `see ${buildLog}; check that the Go module proxy is reachable (GOPROXY=${o.env['GOPROXY'] ?? 'default'}) and that Go is ${spec.goHint}; or ${spec.insteadHint}`,
    );
  };

  const module = `${spec.module}@${spec.moduleVersion}`;
  const download = await run(['mod', 'download', module], spec.cacheDir, `fetching ${spec.label}`);
  const source = path.join(env['GOMODCACHE'] ?? '', escapeModulePath(module));
  if (download.code !== 0 || !fs.existsSync(path.join(source, 'go.mod')))
    fail(`go mod download ${module}`, download.code);
  o.log(`fetched ${module}; now fetching its dependencies and compiling`);
  const built = path.join(staging, path.basename(spec.bin));
  const buildArgs = ['build', '-trimpath', '-ldflags', spec.ldflags, '-o', built, spec.pkg];
  const compile = await run(buildArgs, source, `compiling ${spec.label}`);
  if (compile.code !== 0 || !isExecutable(built))
    fail(`go ${buildArgs.join(' ')} (in ${source})`, compile.code);

  o.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (isExecutable(spec.bin)) {
    fs.rmSync(staging, { recursive: true, force: true }); // another clone finished first
  } else {
    fs.rmSync(binDir, { recursive: true, force: true });
    fs.renameSync(staging, binDir);
  }
  fs.rmSync(path.join(spec.cacheDir, 'go'), { recursive: true, force: true });
  return spec.bin;
}

/** The build's own Go environment: caches under the tool's folder, nothing from the user's GOFLAGS. */
function goEnv(o: Resolved, cacheDir: string): NodeJS.ProcessEnv {
  const goDir = path.join(cacheDir, 'go');
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

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The module cache spells an upper-case letter as `!` and the lower-case letter
 * (`github.com/Shopify/toxiproxy` is stored under `github.com/!shopify/toxiproxy`), so a
 * file system that ignores case cannot mix two modules up.
 */
export function escapeModulePath(module: string): string {
  return module.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
}
