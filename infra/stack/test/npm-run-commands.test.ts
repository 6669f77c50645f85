import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../src/chaos/stack-process';

/**
 * The one documented way to run the project's commands is `npm run <script> -- <args>`:
 * on a machine that only has Node 20, `npm start` installs pnpm into ~/.cache/surge and
 * nothing puts it on PATH, so a doc that says `pnpm stack ps` sends a newcomer into
 * "pnpm: command not found". These run the commands as such a newcomer would, in a
 * shell whose PATH has no pnpm, and check that nothing shows the other way.
 */
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const scripts = Object.keys(pkg.scripts);

/** PATH without any folder that holds a pnpm executable: what a Node-only machine has. */
function pathWithoutPnpm(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !fs.existsSync(path.join(dir, 'pnpm')))
    .join(path.delimiter);
}

function npmRun(args: string[], extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, PATH: pathWithoutPnpm() };
  // No pnpm, nor its variables, leaks in from the jest run that started us.
  for (const name of Object.keys(env)) if (/^(npm_|PNPM_)/i.test(name)) delete env[name];
  return spawnSync('npm', ['run', '--silent', ...args], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
}

/** Every file a user reads for commands: README, docs (reports too), services' READMEs. */
function documentationFiles(): string[] {
  const files = [path.join(repoRoot, 'README.md')];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(md|json|html|txt)$/.test(entry.name)) files.push(full);
    }
  };
  walk(path.join(repoRoot, 'docs'));
  for (const service of fs.readdirSync(path.join(repoRoot, 'services'))) {
    const readme = path.join(repoRoot, 'services', service, 'README.md');
    if (fs.existsSync(readme)) files.push(readme);
  }
  return files;
}

/** What the CLIs print: their sources (messages, usage, comments naming a command). */
function toolSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'dist') walk(full);
      else if (/\.(ts|js|cjs)$/.test(entry.name)) files.push(full);
    }
  };
  for (const dir of ['infra/stack/src', 'bench/src', 'load-tests', 'scripts']) walk(path.join(repoRoot, dir));
  return files;
}

/** `pnpm stack ps`, `pnpm load smoke`, `pnpm jest ...`: a project script run the pnpm way. */
const PNPM_SCRIPT = new RegExp(
  `\\bpnpm (?:run )?(?:${scripts.map((s) => s.replace(':', '\\:')).join('|')})\\b`,
);

function offending(files: string[]): string[] {
  return files.flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => PNPM_SCRIPT.test(line))
      .map(({ line, i }) => `${path.relative(repoRoot, file)}:${i + 1}: ${line.trim()}`),
  );
}

describe('npm run <script> -- <args>, in a shell without pnpm on PATH', () => {
  it('runs the stack CLI: `npm run stack -- --help` prints the usage in the npm run form', () => {
    const result = npmRun(['stack', '--', '--help']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/usage: npm run stack -- <verb> \[args\]/);
  });

  it('runs `npm run stack -- ps` (no stack needed: it reports what runs)', () => {
    // A state folder of its own: this shows an empty stack, whatever runs in this clone.
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-ps-'));
    const result = npmRun(['stack', '--', 'ps'], { SURGE_STATE_DIR: stateDir });
    fs.rmSync(stateDir, { recursive: true, force: true });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/gateway/);
  });

  it('no package.json script calls pnpm itself (it is not on PATH for `npm run`)', () => {
    const callers = Object.entries(pkg.scripts).filter(([, command]) => /(^|[\s;&|])pnpm\s/.test(command));
    expect(callers).toEqual([]);
  });

  it('the docs and reports show every project command as `npm run <script>`, never `pnpm <script>`', () => {
    expect(offending(documentationFiles())).toEqual([]);
  });

  it('the tools print and name their commands as `npm run <script>` too', () => {
    expect(offending(toolSources())).toEqual([]);
  });

  it('no message tells a user to run a bare `tsx`, which is not on PATH either', () => {
    const bareTsx = /(^|[\s`'"(])tsx (infra|bench)\//;
    const found = toolSources().flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => bareTsx.test(line))
        .map((line) => `${path.relative(repoRoot, file)}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
