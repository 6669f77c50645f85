import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { aptInstall } from './apt';
import { runCommand, which } from './exec';
import { InfraError, componentLog, type Log } from './log';
import { cacheRoot, logFile, pretty, surgePaths } from './paths';

/** A Python tool from PyPI that the project pins in a requirements file (Locust, schemathesis). */
export interface PythonToolSpec {
  /** Component name for logs and errors, and the cache folder's prefix: `<name>-<version>`. */
  name: string;
  /** What people call it in messages (`Locust`). */
  title: string;
  /** The requirements file that pins the tool and its whole dependency tree. */
  requirements: string;
  /** The distribution whose pin (`<package>==X.Y.Z`) names the version. */
  package: string;
  /** The command the venv's bin/ holds. */
  command: string;
  /** The variable that points at a command you have instead (`LOCUST_BIN`). */
  override: string;
}

export interface PythonToolInstall {
  version: string;
  /** `~/.cache/surge/<name>-<version>`: a Python virtual environment. */
  venv: string;
  /** The tool's command (the override when one is set). */
  command: string;
  python: string;
}

/** The version a requirements file pins for a package (`package==X.Y.Z`), so the pin lives in one place. */
export function pinnedVersion(requirements: string, packageName: string, file = 'the requirements'): string {
  const escaped = packageName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pin = new RegExp(`^${escaped}==([\\w.]+)\\s*$`, 'im').exec(requirements);
  if (!pin) throw new Error(`${file} pins no ${packageName}==<version>`);
  return pin[1]!;
}

const MARKER = '.surge-requirements.sha256';

/**
 * A pinned Python tool, installed once per version into a virtual environment under
 * ~/.cache/surge/<name>-<version> and reused by every clone: Python 3.11 is on every
 * machine the project supports, the tools and their dependencies are wheels on PyPI, and
 * nothing is built (`--only-binary`). The venv is complete only when its marker holds the
 * hash of the requirements it was installed from: an interrupted install, or a changed
 * pin, is removed and installed again. `<override>=/path/to/tool` uses one you have instead.
 */
export async function ensurePythonTool(
  spec: PythonToolSpec,
  sink: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PythonToolInstall> {
  const log = componentLog(sink, spec.name);
  const text = fs.readFileSync(spec.requirements, 'utf8');
  const shown = pretty(spec.requirements);
  const version = pinnedVersion(text, spec.package, shown);
  const venv = path.join(cacheRoot(env), `${spec.name}-${version}`);
  const install = {
    version,
    venv,
    command: env[spec.override] || path.join(venv, 'bin', spec.command),
    python: path.join(venv, 'bin', 'python'),
  };
  if (env[spec.override]) return install;
  const hash = createHash('sha256').update(text).digest('hex');
  const marker = path.join(venv, MARKER);
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === hash) return install;

  const python = which('python3', env);
  if (!python)
    throw new InfraError(
      spec.name,
      `needs Python 3.11 or later to install ${spec.title}`,
      'install python3 and python3-venv (Debian: apt-get install python3 python3-venv)',
    );
  const paths = surgePaths(env);
  const logPath = logFile(paths, `${spec.name}-install`);
  const pythonVersion = (await runCommand(python, ['--version'], { logFile: logPath })).output.trim();
  const [, minor] = /Python 3\.(\d+)/.exec(pythonVersion) ?? [];
  if (Number(minor ?? 0) < 11)
    throw new InfraError(
      spec.name,
      `needs Python 3.11 or later (${spec.title} ${version} requires it), found ${pythonVersion || 'no version'}`,
      `install a newer python3, or set ${spec.override} to a ${spec.command} you have`,
    );
  log(`installing ${spec.title} ${version} into ${pretty(venv)} (once per version; log: ${pretty(logPath)})`);
  fs.rmSync(venv, { recursive: true, force: true });
  let made = await runCommand(python, ['-m', 'venv', venv], { logFile: logPath });
  if (made.code !== 0 && /ensurepip|python3-venv/.test(made.output)) {
    // Debian splits venv's pip bootstrap into its own package.
    fs.rmSync(venv, { recursive: true, force: true });
    await aptInstall(['python3-venv', `python3.${minor}-venv`], { log: sink, paths, component: spec.name });
    made = await runCommand(python, ['-m', 'venv', venv], { logFile: logPath });
  }
  if (made.code !== 0)
    throw new InfraError(spec.name, `python3 -m venv failed:\n${made.output.slice(-1500)}`, 'see the log');
  const pip = await runCommand(
    path.join(venv, 'bin', 'pip'),
    ['install', '--no-input', '--disable-pip-version-check', '--only-binary=:all:', '-r', spec.requirements],
    { logFile: logPath, heartbeat: { log, what: `installing ${spec.title}` } },
  );
  if (pip.code !== 0) {
    fs.rmSync(venv, { recursive: true, force: true });
    throw new InfraError(
      spec.name,
      `pip install -r ${shown} failed:\n${pip.output.slice(-1500)}`,
      `check that PyPI is reachable (or set ${spec.override} to a ${spec.command} you have)`,
    );
  }
  fs.writeFileSync(marker, `${hash}\n`);
  log(`${spec.title} ${version} ready`);
  return install;
}
