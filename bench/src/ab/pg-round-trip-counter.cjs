/*
 * Loaded with `node --require` into a service under the checkout A/B bench: counts every
 * query the process sends through pg (each is one round trip to PostgreSQL, BEGIN and
 * COMMIT included) and writes the count to $PG_ROUND_TRIP_DIR/<service>-<pid>.json four
 * times a second; likewise every request kafkajs sends to a broker, by API name, to
 * <service>-kafka-<pid>.json (as service `<service> (kafka)`). Exact on a shared, busy database server, where the server's own statistics mix
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
    // kafkajs's broker connection: every request it sends (Produce, Fetch, OffsetCommit,
    // Heartbeat ...) is one round trip to the broker, counted by API name.
    if (
      /(^|\/)connection$/.test(request) &&
      exported?.name === 'Connection' &&
      exported.prototype?.send &&
      !patched.has(exported.prototype)
    ) {
      patched.add(exported.prototype);
      const send = exported.prototype.send;
      exported.prototype.send = function countedSend(protocol, ...more) {
        kafkaCount += 1;
        const name = protocol?.request?.apiName ?? '?';
        kafkaShapes[name] = (kafkaShapes[name] ?? 0) + 1;
        return send.call(this, protocol, ...more);
      };
    }
    return exported;
  };
  let kafkaCount = 0;
  const kafkaShapes = {};
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${service}-${process.pid}.json`);
  const kafkaFile = path.join(dir, `${service}-kafka-${process.pid}.json`);
  setInterval(() => {
    fs.writeFileSync(file, JSON.stringify({ service, count, shapes }));
    if (kafkaCount > 0)
      fs.writeFileSync(
        kafkaFile,
        JSON.stringify({ service: `${service} (kafka)`, count: kafkaCount, shapes: kafkaShapes }),
      );
  }, 250).unref();
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
