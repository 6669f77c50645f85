// One jest project per workspace package. Tests run on TypeScript sources through
// @swc/jest and moduleNameMapper, so no build is needed to test. Unit tests sit beside
// the code (src/**/*.test.ts); integration tests under test/ use the real PostgreSQL,
// Redis and Kafka that the global setup starts (or reuses) and stops.
const fs = require('node:fs');
const path = require('node:path');

const groups = ['packages', 'services', 'infra'];
const workspaces = groups
  .flatMap((group) =>
    fs
      .readdirSync(path.join(__dirname, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(__dirname, group, entry.name)),
  )
  // bench/ is a workspace at the root: the unit tests of its parsers run with the rest.
  .concat(path.join(__dirname, 'bench'))
  .filter((dir) => fs.existsSync(path.join(dir, 'package.json')));

// Each entry a package exports (`.`, or a subpath such as `@surge/stack/native`) maps to
// the source of what it builds: `./dist/native/index.js` is `src/native/index.ts`. A
// deep import the package does not export maps to nothing and fails, as it would in Node.
const moduleNameMapper = {};
for (const dir of workspaces) {
  const { name, exports: entries = { '.': { default: './dist/index.js' } } } = require(
    path.join(dir, 'package.json'),
  );
  for (const [subpath, target] of Object.entries(entries)) {
    const built = typeof target === 'string' ? target : target.default;
    const source = built.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
    const specifier = path.posix.join(name, subpath).replace(/[/.]/g, (c) => `\\${c}`);
    moduleNameMapper[`^${specifier}$`] = path.join(dir, source);
  }
}

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};

module.exports = {
  // A global option: per-project values are ignored. Saga tests wait for the worker.
  testTimeout: 60_000,
  globalSetup: '<rootDir>/test/global-setup.cjs',
  globalTeardown: '<rootDir>/test/global-teardown.cjs',
  projects: workspaces.map((dir) => ({
    displayName: path.relative(__dirname, dir),
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform,
    moduleNameMapper,
  })),
};
