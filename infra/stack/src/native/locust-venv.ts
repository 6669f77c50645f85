import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { aptInstall } from './apt';
import { runCommand, which } from './exec';
import { InfraError, componentLog, type Log } from './log';
import { cacheRoot, findRepoRoot, logFile, pretty, surgePaths } from './paths';

/** The requirements file that pins Locust and everything it pulls in. */
export function requirementsFile(repoRoot: string = findRepoRoot()): string {
  return path.join(repoRoot, 'load-tests', 'requirements.txt');
}

/** Locust's version, read from its pin (`locust==X.Y.Z`), so the pin lives in one place. */
export function locustVersion(requirements: string): string {
  const pin = /^locust==([\w.]+)\s*$/im.exec(requirements);
  if (!pin) throw new Error('load-tests/requirements.txt pins no locust==<version>');
  return pin[1]!;
}

export interface LocustInstall {
  version: string;
  /** `~/.cache/surge/locust-<version>`: a Python virtual environment. */
  venv: string;
  locust: string;
  python: string;
}

const MARKER = '.surge-requirements.sha256';

/**
 * The Locust `npm run load` runs, installed once per pinned version into a virtual
 * environment under ~/.cache/surge/locust-<version> and reused by every clone: Python 3 is
 * on every machine the project supports, Locust and its dependencies are wheels on PyPI,
 * and nothing is built. The venv is complete only when its marker holds the hash of the
 * requirements it was installed from: an interrupted install, or a changed pin, is
 * removed and installed again. `LOCUST_BIN=/path/to/locust` uses one you have instead.
 * Measured here: 15 to 45 s the first time (a busy machine), nothing to compile.
 */
export async function ensureLocust(sink: Log, env: NodeJS.ProcessEnv = process.env): Promise<LocustInstall> {
  const log = componentLog(sink, 'locust');
  const requirements = requirementsFile();
  const text = fs.readFileSync(requirements, 'utf8');
  const version = locustVersion(text);
  const venv = path.join(cacheRoot(env), `locust-${version}`);
  const install = {
    version,
    venv,
    locust: env['LOCUST_BIN'] || path.join(venv, 'bin', 'locust'),
    python: path.join(venv, 'bin', 'python'),
  };
  if (env['LOCUST_BIN']) return install;
  const hash = createHash('sha256').update(text).digest('hex');
  const marker = path.join(venv, MARKER);
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === hash) return install;

  const python = which('python3', env);
  if (!python)
    throw new InfraError(
      'locust',
      'needs Python 3.11 or later to install Locust',
      'install python3 and python3-venv (Debian: apt-get install python3 python3-venv)',
    );
  const paths = surgePaths(env);
  const logPath = logFile(paths, 'locust-install');
  const pythonVersion = (await runCommand(python, ['--version'], { logFile: logPath })).output.trim();
  const [, minor] = /Python 3\.(\d+)/.exec(pythonVersion) ?? [];
  if (Number(minor ?? 0) < 11)
    throw new InfraError(
      'locust',
      `needs Python 3.11 or later (Locust ${version} requires it), found ${pythonVersion || 'no version'}`,
      'install a newer python3, or set LOCUST_BIN to a locust you have',
    );
  log(`installing Locust ${version} into ${pretty(venv)} (once per version; log: ${pretty(logPath)})`);
  fs.rmSync(venv, { recursive: true, force: true });
  let made = await runCommand(python, ['-m', 'venv', venv], { logFile: logPath });
  if (made.code !== 0 && /ensurepip|python3-venv/.test(made.output)) {
    // Debian splits venv's pip bootstrap into its own package.
    fs.rmSync(venv, { recursive: true, force: true });
    await aptInstall(['python3-venv', `python3.${minor}-venv`], {
      log: sink,
      paths,
      component: 'locust',
    });
    made = await runCommand(python, ['-m', 'venv', venv], { logFile: logPath });
  }
  if (made.code !== 0)
    throw new InfraError('locust', `python3 -m venv failed:\n${made.output.slice(-1500)}`, 'see the log');
  const pip = await runCommand(
    path.join(venv, 'bin', 'pip'),
    ['install', '--no-input', '--disable-pip-version-check', '--only-binary=:all:', '-r', requirements],
    { logFile: logPath, heartbeat: { log, what: 'installing Locust' } },
  );
  if (pip.code !== 0) {
    fs.rmSync(venv, { recursive: true, force: true });
    throw new InfraError(
      'locust',
      `pip install -r load-tests/requirements.txt failed:\n${pip.output.slice(-1500)}`,
      'check that PyPI is reachable (or set LOCUST_BIN to a locust you have)',
    );
  }
  fs.writeFileSync(marker, `${hash}\n`);
  log(`Locust ${version} ready`);
  return install;
}
