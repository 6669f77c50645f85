import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, type QueryConfig } from 'pg';
import { testInfra } from '@surge/testing';
import { PARTITION_TOXICS } from '../src/commands/network';
import { surgePaths } from '../src/native/paths';
import { ensureToxiproxy, stopToxiproxy, type ToxiproxyHandle } from '../src/native/toxiproxy';
import { ToxiproxyApi } from '../src/native/toxiproxy-api';

/**
 * A partition made the way `npm run stack -- partition` makes it really cuts a real Postgres
 * connection, and heal restores it. Toxiproxy is ensured like every other component
 * (built once from its Go module if ~/.cache/surge has no binary yet), on a free port and
 * a state folder of its own, so it never meets a stack's Toxiproxy.
 */
let toxiproxy: ToxiproxyHandle;
let api: ToxiproxyApi;
let stateDir: string;
const silent = () => undefined;

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-toxiproxy-test-'));
  const env = { ...process.env, SURGE_STATE_DIR: stateDir, SURGE_TOXIPROXY_PORT: String(await freePort()) };
  toxiproxy = await ensureToxiproxy({ env, log: silent, timeoutMs: 10 * 60_000 });
  api = new ToxiproxyApi(toxiproxy.apiUrl);
}, 15 * 60_000);

afterAll(async () => {
  if (toxiproxy)
    await stopToxiproxy(toxiproxy, {
      log: silent,
      paths: surgePaths({ ...process.env, SURGE_STATE_DIR: stateDir }),
    });
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A pg client through the proxy, with client-side timeouts as the services have them:
 * short (1 s) where the partition must cut it, long where a healthy connection to a
 * Postgres that every test project shares must simply succeed.
 */
async function connectThrough(listen: string, timeoutMs = 10_000): Promise<Client> {
  const url = new URL(testInfra().adminUrl);
  url.host = listen;
  const client = new Client({
    connectionString: url.toString(),
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

it('a partition cuts an open connection and new ones; heal lets new connections through', async () => {
  const upstream = new URL(testInfra().adminUrl).host;
  const proxy = await api.ensureProxy('test.postgres', upstream);
  const open = await connectThrough(proxy.listen);
  expect((await open.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

  for (const toxic of PARTITION_TOXICS) await api.addToxic('test.postgres', toxic);
  // pg reads a per-query `query_timeout` (client.js), which its types do not declare.
  const shortQuery = { text: 'SELECT 1 AS one', query_timeout: 1_000 } as QueryConfig;
  await expect(open.query(shortQuery)).rejects.toThrow(/Query read timeout/);
  await expect(connectThrough(proxy.listen, 1_000)).rejects.toThrow(/timeout/i);

  await api.heal('test.postgres');
  const healed = await connectThrough(proxy.listen);
  expect((await healed.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  await healed.end();
  await open.end().catch(() => undefined);
});
