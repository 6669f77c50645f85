import path from 'node:path';

import type { Log } from './log';
import { findRepoRoot } from './paths';
import { ensurePythonTool, pinnedVersion } from './python-venv';

/** The requirements file that pins Locust and everything it pulls in. */
export function requirementsFile(repoRoot: string = findRepoRoot()): string {
  return path.join(repoRoot, 'load-tests', 'requirements.txt');
}

/** Locust's version, read from its pin (`locust==X.Y.Z`), so the pin lives in one place. */
export function locustVersion(requirements: string): string {
  return pinnedVersion(requirements, 'locust', 'load-tests/requirements.txt');
}

export interface LocustInstall {
  version: string;
  /** `~/.cache/surge/locust-<version>`: a Python virtual environment. */
  venv: string;
  locust: string;
  python: string;
}

/**
 * The Locust `npm run load` runs, in its cached virtual environment (native/python-venv.ts).
 * `LOCUST_BIN=/path/to/locust` uses one you have instead.
 * Measured here: 15 to 45 s the first time (a busy machine), nothing to compile.
 */
export async function ensureLocust(sink: Log, env: NodeJS.ProcessEnv = process.env): Promise<LocustInstall> {
  const install = await ensurePythonTool(
    {
      name: 'locust',
      title: 'Locust',
      requirements: requirementsFile(),
      package: 'locust',
      command: 'locust',
      override: 'LOCUST_BIN',
    },
    sink,
    env,
  );
  return { version: install.version, venv: install.venv, locust: install.command, python: install.python };
}
