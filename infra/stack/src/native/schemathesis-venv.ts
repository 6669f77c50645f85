import path from 'node:path';

import type { Log } from './log';
import { findRepoRoot } from './paths';
import { ensurePythonTool, type PythonToolInstall } from './python-venv';

/** The requirements file that pins schemathesis and everything it pulls in. */
export function fuzzRequirementsFile(repoRoot: string = findRepoRoot()): string {
  return path.join(repoRoot, 'fuzz-tests', 'requirements.txt');
}

/**
 * The schemathesis `npm run fuzz` runs, in its cached virtual environment
 * (native/python-venv.ts). `SCHEMATHESIS_BIN=/path/to/schemathesis` uses one you have instead.
 */
export function ensureSchemathesis(
  sink: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PythonToolInstall> {
  return ensurePythonTool(
    {
      name: 'schemathesis',
      title: 'schemathesis',
      requirements: fuzzRequirementsFile(),
      package: 'schemathesis',
      command: 'schemathesis',
      override: 'SCHEMATHESIS_BIN',
    },
    sink,
    env,
  );
}
