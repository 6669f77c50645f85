import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { type JaegerHandle, ensureJaeger, stopJaeger } from '../src/native/jaeger';
import { installJaegerUi } from '../src/native/jaeger-ui';
import { surgePaths } from '../src/native/paths';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The shape of jaeger-ui's index.html as far as the query service cares: the slots it fills. */
const UI_INDEX = `<!doctype html><html><head><script>
// JAEGER_CONFIG_JS
JAEGER_CONFIG = DEFAULT_CONFIG;
JAEGER_STORAGE_CAPABILITIES = DEFAULT_STORAGE_CAPABILITIES;
JAEGER_VERSION = DEFAULT_VERSION;
</script></head><body><div id="jaeger-ui-root"></div></body></html>`;

describe('a Jaeger UI build installed with `npm run stack -- jaeger-ui`', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-jaeger-ui-'));
  let jaeger: JaegerHandle | undefined;

  afterAll(async () => {
    if (jaeger) await stopJaeger(jaeger, { log: () => undefined, paths: surgePaths(envFor()) });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  // Our own Jaeger on free ports, with its state and UI folder in the scratch folder; the
  // collector the test run uses (OTEL_EXPORTER_OTLP_ENDPOINT) is left out on purpose.
  const ports: Record<string, string> = {};
  function envFor(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...ports,
      SURGE_STATE_DIR: path.join(scratch, 'state'),
      SURGE_JAEGER_UI_DIR: path.join(scratch, 'ui'),
    };
    delete env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    delete env['JAEGER_QUERY_URL'];
    return env;
  }

  it('is served at the query address with the running version filled in, and reported as the UI', async () => {
    for (const name of [
      'SURGE_JAEGER_OTLP_HTTP_PORT',
      'SURGE_JAEGER_OTLP_GRPC_PORT',
      'SURGE_JAEGER_PORT',
      'SURGE_JAEGER_QUERY_GRPC_PORT',
    ])
      ports[name] = String(await freePort());
    const build = path.join(scratch, 'build');
    fs.mkdirSync(path.join(build, 'static'), { recursive: true });
    fs.writeFileSync(path.join(build, 'index.html'), UI_INDEX);
    fs.writeFileSync(path.join(build, 'static', 'app.js'), 'console.log("ui")');
    const env = envFor();
    const paths = surgePaths(env);

    installJaegerUi(build, paths);
    jaeger = await ensureJaeger({ env, paths, log: () => undefined });

    expect(jaeger.uiUrl).toBe(jaeger.queryUrl);
    expect(jaeger.version).toBe('v2.13.0');
    const index = await (await fetch(`${jaeger.uiUrl}/search`)).text();
    expect(index).toContain('jaeger-ui-root');
    expect(index).toMatch(/JAEGER_VERSION = \{"gitCommit/);
    expect(await (await fetch(`${jaeger.uiUrl}/static/app.js`)).text()).toBe('console.log("ui")');
  });

  it("refuses a folder that is not a UI build, such as Jaeger's own placeholder page", () => {
    const placeholder = path.join(scratch, 'placeholder');
    fs.mkdirSync(placeholder, { recursive: true });
    fs.writeFileSync(
      path.join(placeholder, 'index.html'),
      '<h1>This is not the Jaeger UI you are looking for!</h1> JAEGER_VERSION = DEFAULT_VERSION;',
    );
    expect(() => installJaegerUi(placeholder, surgePaths(envFor()))).toThrow(/is not a Jaeger UI build/);
  });
});
