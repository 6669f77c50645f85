import fs from 'node:fs';
import path from 'node:path';

import { AppError } from '@surge/errors';
import { createHttpApp } from '@surge/http-kit';
import { createLogger } from '@surge/logger';

import { loadConfig as gatewayConfig } from '@surge/gateway';
import { loadConfig as notificationConfig } from '@surge/notification';
import { loadConfig as orderConfig } from '@surge/order';
import { loadConfig as providerConfig } from '@surge/payment-provider';
import { loadConfig as paymentConfig } from '@surge/payment';
import { loadConfig as productConfig } from '@surge/product';
import { loadConfig as storefrontConfig } from '@surge/storefront';
import { loadConfig as userConfig } from '@surge/user';
import { SERVICE_SPECS } from '../src/services/service-specs';
import {
  containerEnv,
  deployment,
  loadCompose,
  NATIVE_CONTEXT,
  read,
  renderings,
  root,
  type Env,
  OPERATOR_SECRETS,
} from './deploy-manifests';

// Each service's own config parser (its src/config.ts, what main.ts runs first) applied to
// the environment docker compose and Kubernetes give it: a missing or malformed variable
// fails here as it would fail the container at start.

type LoadConfig = (env: Record<string, string | undefined>) => unknown;
const PARSERS: Record<string, LoadConfig> = {
  gateway: gatewayConfig,
  user: userConfig,
  product: productConfig,
  order: orderConfig,
  payment: paymentConfig,
  notification: notificationConfig,
  'payment-provider': providerConfig,
  storefront: storefrontConfig,
};

/** The variables a service cannot start without: what its parser reports missing from an empty environment. */
function requiredVariables(load: LoadConfig): string[] {
  try {
    load({});
    return [];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const problems = (error.details?.problems ?? []) as string[];
    return problems.map((problem) => problem.slice(0, problem.indexOf(':')));
  }
}

/** Parses, and on failure fails the test with the parser's own list of problems. */
function expectAccepted(load: LoadConfig, env: Env): void {
  let problem = '';
  try {
    load(env);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  expect(problem).toBe('');
}

// This machine's infrastructure ports (the engineer's env file, else the native defaults).
const port = (name: string, fallback: number) => process.env[name] ?? String(fallback);
const NATIVE_HOSTS: Record<string, string> = {
  postgres: `127.0.0.1:${port('SURGE_PG_PORT', 5432)}`,
  redis: `127.0.0.1:${port('SURGE_REDIS_PORT', 6379)}`,
  kafka: `127.0.0.1:${port('SURGE_KAFKA_PORT', 9092)}`,
  mailpit: `127.0.0.1:${port('SURGE_SMTP_PORT', 1025)}`,
  jaeger: `127.0.0.1:${port('SURGE_JAEGER_OTLP_HTTP_PORT', 4318)}`,
};
for (const spec of SERVICE_SPECS)
  NATIVE_HOSTS[spec.name] =
    `127.0.0.1:${port(`SURGE_${spec.name.toUpperCase().replace(/-/g, '_')}_PORT`, spec.defaultPort)}`;

/** The compose environment as a native run would give it: every `name:port` becomes 127.0.0.1 and this machine's port. */
function nativeEquivalent(env: Env): Env {
  const swap = (value: string) =>
    value.replace(/(?<=^|\/\/|@|,)([a-z][a-z-]*):\d+/g, (match, host: string) => NATIVE_HOSTS[host] ?? match);
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, swap(value)]));
}

const compose = loadCompose();

describe('docker compose environment', () => {
  it('covers every service parser', () => {
    expect(Object.keys(PARSERS).sort()).toEqual(SERVICE_SPECS.map((s) => s.name).sort());
  });

  it.each(SERVICE_SPECS.map((spec) => [spec.name] as const))(
    '%s gets every variable its config requires, and its config accepts them',
    (name) => {
      const load = PARSERS[name]!;
      const env = compose.services[name]?.environment ?? {};
      for (const variable of requiredVariables(load))
        expect([variable, env[variable] !== undefined]).toEqual([variable, true]);
      expectAccepted(load, env);
    },
  );

  it.each(SERVICE_SPECS.map((spec) => [spec.name] as const))(
    '%s accepts the same values with 127.0.0.1 and this machine’s ports, as a native run',
    (name) => {
      const env = nativeEquivalent(compose.services[name]?.environment ?? {});
      // A compose host left with its port (`//redis:6379`, `@redis:6379`); `//user:` alone is
      // the user service's Redis user name, not a host.
      expect(Object.values(env).join(' ')).not.toMatch(
        /(\/\/|@)(postgres|redis|mailpit|jaeger|user|product):\d/,
      );
      expectAccepted(PARSERS[name]!, env);
    },
  );

  it('gives each service every variable the native stack gives it', () => {
    for (const spec of SERVICE_SPECS) {
      const env = compose.services[spec.name]?.environment ?? {};
      for (const variable of [
        ...Object.keys(spec.env(NATIVE_CONTEXT)),
        'NODE_ENV',
        'HOST',
        'PORT',
        'OTEL_SERVICE_NAME',
      ])
        expect([spec.name, variable, env[variable] !== undefined]).toEqual([spec.name, variable, true]);
    }
  });
});

describe.each(['k8s/base', 'k8s/overlays/dev'])('Kubernetes %s environment', (dir) => {
  describe.each(renderings(dir).map((r) => [r.via, r.objects] as const))(
    'read through %s',
    (_via, objects) => {
      it.each(SERVICE_SPECS.map((spec) => [spec.name] as const))(
        '%s gets every variable its config requires, and its config accepts them',
        (name) => {
          const container = deployment(objects, name)?.spec?.template?.spec.containers[0];
          expect(container).toBeDefined();
          const env = containerEnv(objects, container!, OPERATOR_SECRETS);
          const load = PARSERS[name]!;
          for (const variable of requiredVariables(load))
            expect([variable, env[variable] !== undefined]).toEqual([variable, true]);
          expectAccepted(load, env);
        },
      );
    },
  );
});

describe('the probe routes', () => {
  it('are served by the HTTP kit every service is built on', async () => {
    const http = createHttpApp({
      service: 'probe-check',
      logger: createLogger({ service: 'probe-check', level: 'silent' }),
      readiness: {},
      routes: () => undefined,
    });
    const server = http.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port: bound } = server.address() as { port: number };
    try {
      for (const route of ['/health/live', '/health/ready']) {
        const response = await fetch(`http://127.0.0.1:${bound}${route}`);
        await response.body?.cancel();
        expect([route, response.status]).toEqual([route, 200]);
      }
      // Metrics are served by the admin app only (its own listener), never the public one.
      const metrics = await fetch(`http://127.0.0.1:${bound}/metrics`);
      await metrics.body?.cancel();
      expect(metrics.status).toBe(404);
    } finally {
      server.close();
    }
    for (const spec of SERVICE_SPECS) {
      const sources = fs.readdirSync(path.join(root, spec.dir, 'src'), { recursive: true, encoding: 'utf8' });
      const usesKit = sources.some(
        // Directly, or through the service runtime whose `serve` builds the kit's app.
        (file) =>
          file.endsWith('.ts') && /createHttpApp\(|kit\.serve\(/.test(read(path.join(spec.dir, 'src', file))),
      );
      expect([spec.name, usesKit]).toEqual([spec.name, true]);
    }
  });

  it("of Mailpit answer on this machine's Mailpit, the version compose and Kubernetes run", async () => {
    const mailpit = process.env.MAILPIT_URL;
    expect(mailpit).toMatch(/^http:/);
    for (const route of ['/readyz', '/livez']) {
      const response = await fetch(`${mailpit}${route}`);
      await response.body?.cancel();
      expect([route, response.status]).toEqual([route, 200]);
    }
  });
});
