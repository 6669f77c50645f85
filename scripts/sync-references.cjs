#!/usr/bin/env node
/**
 * Keeps TypeScript project references in step with workspace:* dependencies, so
 * `tsc -b` builds packages in dependency order. Run after adding a workspace dependency.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dirs = ['packages', 'services']
  .flatMap((group) => fs.readdirSync(path.join(root, group)).map((name) => path.join(group, name)))
  .concat(['infra/stack'])
  .filter((dir) => fs.existsSync(path.join(root, dir, 'tsconfig.json')));
const byName = new Map(dirs.map((dir) => [require(path.join(root, dir, 'package.json')).name, dir]));

for (const dir of dirs) {
  const pkg = require(path.join(root, dir, 'package.json'));
  // Runtime dependencies only: a test-only devDependency must not add a build edge.
  const deps = { ...pkg.dependencies };
  const refs = Object.keys(deps)
    .filter((name) => String(deps[name]).startsWith('workspace:') && byName.has(name))
    .sort()
    .map((name) => ({ path: path.relative(path.join(root, dir), path.join(root, byName.get(name))) }));
  const file = path.join(root, dir, 'tsconfig.json');
  const tsconfig = JSON.parse(fs.readFileSync(file, 'utf8'));
  tsconfig.references = refs;
  fs.writeFileSync(file, JSON.stringify(tsconfig, null, 2) + '\n');
}
const build = { files: [], references: dirs.map((dir) => ({ path: dir })) };
fs.writeFileSync(path.join(root, 'tsconfig.build.json'), JSON.stringify(build, null, 2) + '\n');

// Write in the repo's Prettier style, so a sync changes only what really changed.
const written = dirs.map((dir) => path.join(dir, 'tsconfig.json')).concat('tsconfig.build.json');
require('node:child_process').spawnSync(
  path.join(root, 'node_modules', '.bin', 'prettier'),
  ['--write', '--log-level=warn', ...written],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
