/*
 * Loaded with `node --require` into a service under the checkout A/B bench: counts every
 * query the process sends through pg (each is one round trip to PostgreSQL, BEGIN and
 * COMMIT included) and writes the count to $PG_ROUND_TRIP_DIR/<service>-<pid>.json once a
 * second. Exact on a shared, busy database server, where the server's own statistics mix
 * every engineer's stacks.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const dir = process.env.PG_ROUND_TRIP_DIR;
const service = /services\/([^/]+)\//.exec(process.argv[1] ?? '')?.[1];
if (dir && service) {
  let count = 0;
  /** Round trips by statement shape (its first words), to tell which ones a change removed. */
  const shapes = {};
  const patched = new WeakSet();
  const load = Module._load;
  Module._load = function loadAndCount(request, ...rest) {
    const exported = load.call(this, request, ...rest);
    if (request === 'pg' && exported?.Client && !patched.has(exported.Client.prototype)) {
      patched.add(exported.Client.prototype);
      const query = exported.Client.prototype.query;
      exported.Client.prototype.query = function countedQuery(...args) {
        count += 1;
        const text = typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '?');
        const shape = text.replace(/\s+/g, ' ').trim().slice(0, 70);
        shapes[shape] = (shapes[shape] ?? 0) + 1;
        return query.apply(this, args);
      };
    }
    return exported;
  };
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${service}-${process.pid}.json`);
  setInterval(() => fs.writeFileSync(file, JSON.stringify({ service, count, shapes })), 250).unref();
}

// `--cpu-prof` is not allowed in NODE_OPTIONS: the same profile through the inspector,
// written when the process exits (an in-thread session answers synchronously).
const profileDir = process.env.CPU_PROFILE_DIR;
if (profileDir && service) {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.mkdirSync(profileDir, { recursive: true });
      fs.writeFileSync(
        path.join(profileDir, `${service}-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
    });
  });
}
