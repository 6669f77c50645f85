// Stops only what the global setup started; servers that were already running
// (a developer's `npm start` in another terminal) keep running.
require('tsx/cjs/api').register();
const { stopInfra } = require('../infra/stack/src/native/infra.ts');

module.exports = async function globalTeardown() {
  if (globalThis.__SURGE_INFRA__) await stopInfra(globalThis.__SURGE_INFRA__);
};
