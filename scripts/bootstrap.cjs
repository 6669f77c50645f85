#!/usr/bin/env node
/**
 * The one entry point behind `npm start`, `npm test` and every `npm run <script>` on a
 * fresh machine that has only Node 20 and npm. It makes pnpm 10 available without
 * touching global state (pnpm is never on PATH there), installs the workspace when
 * needed, then hands over:
 *
 *   node scripts/bootstrap.cjs <script> [args]       `pnpm run <script>` (or its tsx program directly)
 *   node scripts/bootstrap.cjs --tsx <file.ts> [args] one TypeScript tool (`npm run stack -- ps`)
 *
 * Why not corepack: on these machines corepack needs COREPACK_INTEGRITY_KEYS=0 against
 * the registry mirror, and `npm i -g` needs root. A private prefix under ~/.cache works
 * everywhere and is reused by every clone.
 */
'use strict';
const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '');

function fail(message) {
  process.stderr.write(`\n[surge] ${message}\n`);
  process.exit(1);
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) fail(`Node ${process.versions.node} is too old: Surge needs Node 20 or later.`);
}

function pnpmFromPath() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === pnpmVersion) return 'pnpm';
  return null;
}

/** Installs the pinned pnpm into ~/.cache/surge/pnpm-<version> once and returns its bin. */
function pnpmFromCache() {
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const prefix = path.join(cacheRoot, 'surge', `pnpm-${pnpmVersion}`);
  const bin = path.join(prefix, 'node_modules', '.bin', 'pnpm');
  if (fs.existsSync(bin)) return bin;
  process.stdout.write(`[surge] installing pnpm ${pnpmVersion} into ${prefix} (once)\n`);
  fs.mkdirSync(prefix, { recursive: true });
  const res = spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`],
    { stdio: 'inherit' },
  );
  if (res.status !== 0 || !fs.existsSync(bin))
    fail('could not install pnpm with npm; check that the npm registry is reachable.');
  return bin;
}

/** Installs the workspace when node_modules is missing or older than the lockfile. */
function ensureInstalled(pnpm) {
  const marker = path.join(root, 'node_modules', '.modules.yaml');
  const lock = path.join(root, 'pnpm-lock.yaml');
  const fresh =
    fs.existsSync(marker) && fs.existsSync(lock) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs;
  if (fresh) return;
  process.stdout.write('[surge] installing workspace dependencies\n');
  const args = ['install', '--reporter=append-only'];
  if (fs.existsSync(lock)) args.push('--frozen-lockfile');
  const res = spawnSync(pnpm, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) fail('pnpm install failed (see above).');
}

/**
 * A script that is only a TypeScript tool (`stack`, which `npm start` runs: `node
 * scripts/bootstrap.cjs --tsx <file.ts>`, or plain `tsx <file.ts>`) runs in one Node
 * process with tsx as its loader, instead of pnpm, then tsx's CLI, then the child tsx
 * starts: the same program, without ~0.1 GB of launchers resident for as long as the
 * stack runs (docs/benchmarks.md, footprint). Anything else goes through pnpm.
 */
function directTsxCommand(script, rest) {
  const command = (pkg.scripts && pkg.scripts[script]) || '';
  const match = /^(?:tsx|node scripts\/bootstrap\.cjs --tsx) ([\w./-]+\.ts)((?: [\w./=-]+)*)$/.exec(command);
  if (!match) return null;
  const fixed = match[2].trim() ? match[2].trim().split(' ') : [];
  return tsxCommand(match[1], [...fixed, ...rest]);
}

function tsxCommand(file, args) {
  return { command: process.execPath, args: ['--import', 'tsx', file, ...args] };
}

/**
 * The stack's tools (`stack`, `chaos`, `load`, `bench`) run from TypeScript sources, but
 * the workspace packages they import resolve to their build output (package `exports`),
 * which a fresh clone does not have yet: build once when any package lacks it. `pnpm
 * stack up` builds again incrementally, so an edited package is never run stale.
 */
function ensureBuilt() {
  const packagesDir = path.join(root, 'packages');
  const unbuilt = fs
    .readdirSync(packagesDir)
    .filter((name) => fs.existsSync(path.join(packagesDir, name, 'package.json')))
    .some((name) => !fs.existsSync(path.join(packagesDir, name, 'dist')));
  if (!unbuilt) return;
  process.stdout.write('[surge] building the workspace packages (once per clone)\n');
  const res = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc', { paths: [root] }), '-b', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) fail('the TypeScript build failed (see above).');
}

function main() {
  checkNode();
  const [script, ...rest] = process.argv.slice(2);
  if (!script || (script === '--tsx' && !rest[0]))
    fail('usage: node scripts/bootstrap.cjs <script> [args...] | --tsx <file.ts> [args...]');
  const pnpm = pnpmFromPath() || pnpmFromCache();
  ensureInstalled(pnpm);
  const binDir = path.dirname(pnpm);
  const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` };
  // `--tsx`: what `npm run stack|chaos|load|bench` call, so they need no pnpm on PATH.
  const direct = script === '--tsx' ? tsxCommand(rest[0], rest.slice(1)) : directTsxCommand(script, rest);
  if (direct) ensureBuilt();
  const child = direct
    ? spawn(direct.command, direct.args, {
        cwd: root,
        stdio: 'inherit',
        env: { ...env, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${env.PATH}` },
      })
    : spawn(pnpm, ['run', '--silent', script, ...rest], { cwd: root, stdio: 'inherit', env });
  // Forward Ctrl-C and SIGTERM so the stack can stop what it started before we exit.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
