// Starts (or reuses) the real infrastructure once for the whole test run and hands
// its addresses to the test workers through the environment.
require('tsx/cjs/api').register();
const { ensureInfra } = require('../infra/stack/src/native/infra.ts');

module.exports = async function globalSetup() {
  const infra = await ensureInfra({ log: (line) => process.stdout.write(`${line}\n`) });
  globalThis.__SURGE_INFRA__ = infra;
  Object.assign(process.env, infra.env);
};
