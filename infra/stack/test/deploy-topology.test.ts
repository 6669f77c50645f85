import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { devPassword } from '../src/native/provision';
import { SERVICE_SPECS, type ServiceSpec } from '../src/services/service-specs';
import {
  composeDurationSeconds,
  containerEnv,
  deployment,
  loadCompose,
  NATIVE_CONTEXT,
  OPERATOR_SECRETS,
  read,
  renderings,
  root,
  serviceNamed,
  targetContainerPort,
  type K8sObject,
} from './deploy-manifests';

// Nothing here runs containers (no Docker engine, no cluster): the promise that the same
// services run natively, in docker compose and in Kubernetes is checked on the files,
// against the native stack's own list of services (service-specs.ts) and provisioning.

const compose = loadCompose();
const SHUTDOWN_GRACE_S = 10;
/** Only the gateway publishes a port; everything else may be scaled. */
const PUBLISHED = new Set(['gateway']);

/** The role, password and database provision.ts gives a service. */
function expectedDatabaseUrl(database: string, host: string): string {
  return `postgres://${database}:${devPassword(database)}@${host}:5432/${database}`;
}

function initSqlDatabases(file: string): string[] {
  const list = /^\\set databases '\{([^}]*)\}'$/m.exec(read(file))?.[1];
  return (list ?? '').split(',').filter(Boolean).sort();
}

function provisionedDatabases(): string[] {
  return SERVICE_SPECS.flatMap((spec) => (spec.database ? [spec.database] : [])).sort();
}

describe('the Postgres init SQL', () => {
  it.each([
    'infra/compose/postgres/init/10-service-databases.sql',
    'k8s/base/postgres/init/10-service-databases.sql',
  ])('%s creates exactly the databases the native stack provisions', (file) => {
    expect(initSqlDatabases(file)).toEqual(provisionedDatabases());
  });

  it('is the same file for compose and Kubernetes', () => {
    expect(read('k8s/base/postgres/init/10-service-databases.sql')).toBe(
      read('infra/compose/postgres/init/10-service-databases.sql'),
    );
  });
});

/**
 * The storefront calls the gateway only when a page is asked for, and the gateway waits
 * for the storefront (its upstream): waiting both ways would be a cycle compose refuses.
 */
const CALLED_ONLY_ON_REQUEST: Record<string, string[]> = { storefront: ['gateway'] };

describe('the image', () => {
  const dockerfile = read('Dockerfile');

  it.each(SERVICE_SPECS.map((spec) => [spec.name, spec] as const))(
    'has a stage for %s exposing its native default port',
    (name, spec) => {
      const stage = new RegExp(
        `^FROM runtime AS service-${name}\\nENV PORT=(\\d+)\\nEXPOSE (\\d+)$`,
        'm',
      ).exec(dockerfile);
      expect([stage?.[1], stage?.[2]]).toEqual([String(spec.defaultPort), String(spec.defaultPort)]);
      expect(fs.existsSync(path.join(root, spec.dir, 'tsconfig.json'))).toBe(true);
      const pkg = JSON.parse(read(path.join(spec.dir, 'package.json'))) as { name: string };
      // The build deploys `@surge/${SERVICE}`; the folder and the package name must agree.
      expect(pkg.name).toBe(`@surge/${name}`);
    },
  );
});

describe('docker compose', () => {
  const nodeServices = Object.entries(compose.services).filter(([, s]) => s.build?.args?.SERVICE);

  it('runs every service of the native stack, each built from its own folder', () => {
    expect(nodeServices.map(([name]) => name).sort()).toEqual(SERVICE_SPECS.map((s) => s.name).sort());
    for (const [name, service] of nodeServices) {
      expect([name, service.build?.args?.SERVICE, service.build?.context]).toEqual([name, name, '.']);
      expect(service.image).toBe(`surge/${name}:dev`);
    }
  });

  it.each(SERVICE_SPECS.map((spec) => [spec.name, spec] as const))(
    '%s listens on its native port and uses its own database',
    (name, spec) => {
      const env = compose.services[name]?.environment ?? {};
      expect(env.PORT).toBe(String(spec.defaultPort));
      expect(compose.services[name]?.expose).toEqual([String(spec.defaultPort)]);
      if (spec.database) expect(env.DATABASE_URL).toBe(expectedDatabaseUrl(spec.database, 'postgres'));
      else expect(env.DATABASE_URL).toBeUndefined();
    },
  );

  it('has no container_name anywhere and publishes no port of a scalable service', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, service.container_name]).toEqual([name, undefined]);
      if (service.build && !PUBLISHED.has(name)) expect([name, service.ports]).toEqual([name, undefined]);
    }
  });

  it('addresses what the native stack gives each service by a compose name that exists, and waits for it', () => {
    for (const spec of SERVICE_SPECS) {
      const service = compose.services[spec.name]!;
      const name = spec.name;
      const env = service.environment ?? {};
      const hosts = Object.keys(spec.env(NATIVE_CONTEXT)).flatMap((key) => {
        const value = env[key] ?? '';
        if (key === 'KAFKA_BROKERS') return value.split(',').map((broker) => broker.split(':')[0] ?? '');
        return /_URL$/.test(key) ? [new URL(value).hostname] : [];
      });
      expect(hosts.length).toBeGreaterThan(0);
      for (const host of hosts) {
        expect([name, host, Boolean(compose.services[host])]).toEqual([name, host, true]);
        if (CALLED_ONLY_ON_REQUEST[name]?.includes(host)) continue;
        expect([name, host, service.depends_on?.[host]?.condition]).toEqual([name, host, 'service_healthy']);
      }
    }
  });

  it('gives every Node service the same size, a read-only root, a readiness check and time to drain', () => {
    for (const [name, service] of nodeServices) {
      expect([name, service.cpus, service.mem_limit, service.read_only]).toEqual([name, '1', '512m', true]);
      expect(service.healthcheck?.test.join(' ')).toContain("'/health/ready'");
      const env = service.environment ?? {};
      expect(Number(env.SHUTDOWN_GRACE_MS) / 1000).toBe(SHUTDOWN_GRACE_S);
      expect(composeDurationSeconds(service.stop_grace_period ?? '10s')).toBeGreaterThan(SHUTDOWN_GRACE_S);
    }
    // The notification consumer finishes the event in hand (up to ~21 s of retries) and one SMTP step.
    expect(
      composeDurationSeconds(compose.services['notification']?.stop_grace_period ?? ''),
    ).toBeGreaterThanOrEqual(SHUTDOWN_GRACE_S + 21 + 10);
  });

  it('runs development mode with the development features on', () => {
    for (const [, service] of nodeServices) expect(service.environment?.NODE_ENV).toBe('development');
    expect(compose.services['product']?.environment?.SEED_CATALOG).toBe('true');
    expect(compose.services['product']?.environment?.FAULT_INJECTION).toBe('true');
  });

  it('runs Kafka with SASL/SCRAM, deny-by-default ACLs and a read-only root filesystem', () => {
    const kafka = compose.services['kafka'];
    const env = kafka?.environment ?? {};
    // Topics come from the broker's provisioning as the admin, never from auto-creation.
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(env.KAFKA_LISTENERS).toMatch(
      /^SASL_PLAINTEXT:\/\/0\.0\.0\.0:9092,CONTROLLER:\/\/127\.0\.0\.1:9093$/,
    );
    expect(env.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND).toBe('false');
    expect(env.KAFKA_AUTHORIZER_CLASS_NAME).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(kafka?.read_only).toBe(true);
    for (const name of ['user', 'product', 'order', 'payment', 'notification']) {
      expect(compose.services[name]?.environment?.KAFKA_SASL_USERNAME).toBe(name);
    }
  });

  it('has Prometheus scrape every service of the native stack on its admin port (port + 1000)', () => {
    const prometheus = parse(read('infra/observability/prometheus-compose.yml')) as {
      scrape_configs: Array<{ dns_sd_configs: Array<{ names: string[]; port: number }> }>;
    };
    const scraped = new Map(
      prometheus.scrape_configs.flatMap((job) =>
        job.dns_sd_configs.map((sd) => [sd.names[0], sd.port] as const),
      ),
    );
    for (const spec of SERVICE_SPECS)
      expect([spec.name, scraped.get(spec.name)]).toEqual([spec.name, spec.defaultPort + 1000]);
  });

  it('gives the notification service the Mailpit it waits for', () => {
    const smtp = new URL(compose.services['notification']?.environment?.SMTP_URL ?? '');
    expect(compose.services[smtp.hostname]?.image).toMatch(/^axllent\/mailpit:v1\.31\.0$/);
    expect(compose.services[smtp.hostname]?.expose).toContain(smtp.port);
  });
});

/** The Deployment of a service, its first container and that container's environment. */
function serviceDeployment(objects: K8sObject[], spec: ServiceSpec) {
  const found = deployment(objects, spec.name);
  const container = found?.spec?.template?.spec.containers[0];
  if (!found || !container) throw new Error(`no Deployment ${spec.name}`);
  // The base's Secrets are created by an operator (k8s/create-secrets.sh): stand-ins here.
  return { deployment: found, container, env: containerEnv(objects, container, OPERATOR_SECRETS) };
}

describe.each([
  ['k8s/base', 'production'],
  ['k8s/overlays/dev', 'development'],
] as const)('Kubernetes %s', (dir, mode) => {
  describe.each(renderings(dir).map((r) => [r.via, r.objects] as const))(
    'read through %s',
    (_via, objects) => {
      it('runs every service of the native stack as a Deployment of the service image', () => {
        const services = objects
          .filter(
            (o) =>
              o.kind === 'Deployment' &&
              o.spec?.template?.metadata.labels['app.kubernetes.io/component'] === 'service',
          )
          .map((o) => o.metadata.name)
          .sort();
        expect(services).toEqual(SERVICE_SPECS.map((s) => s.name).sort());
        for (const spec of SERVICE_SPECS) {
          const { container } = serviceDeployment(objects, spec);
          expect(container.image).toMatch(new RegExp(`^surge/${spec.name}(:|$)`));
        }
      });

      it.each(SERVICE_SPECS.map((spec) => [spec.name, spec] as const))(
        '%s: port, database, probes on real routes, size, read-only root and drain time',
        (_name, spec) => {
          const { deployment: d, container, env } = serviceDeployment(objects, spec);
          expect(env.NODE_ENV).toBe(mode);
          expect(env.PORT).toBe(String(spec.defaultPort));
          expect(container.ports).toEqual([
            { name: 'http', containerPort: spec.defaultPort },
            { name: 'admin', containerPort: spec.defaultPort + 1000 },
          ]);
          // Development: the published development password; production: the operator's.
          if (spec.database && mode === 'development')
            expect(env.DATABASE_URL).toBe(expectedDatabaseUrl(spec.database, 'postgres'));
          if (spec.database && mode === 'production') {
            const url = new URL(env.DATABASE_URL ?? '');
            expect([url.username, url.host, url.pathname]).toEqual([
              spec.database,
              'postgres:5432',
              `/${spec.database}`,
            ]);
            expect(url.password).not.toBe(devPassword(spec.database));
          }
          expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
          expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
          expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
          expect(container.resources?.limits).toEqual({ cpu: '1', memory: '512Mi' });
          expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
          const preStop = Number(container.lifecycle?.preStop?.exec?.command[1] ?? 0);
          expect(d.spec?.template?.spec.terminationGracePeriodSeconds).toBeGreaterThan(
            preStop + SHUTDOWN_GRACE_S,
          );
        },
      );

      it('gives the notification consumer time to finish the event in hand', () => {
        const { deployment: d } = serviceDeployment(
          objects,
          SERVICE_SPECS.find((s) => s.name === 'notification')!,
        );
        expect(d.spec?.template?.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
          5 + SHUTDOWN_GRACE_S + 21 + 10,
        );
      });

      it('points every service address at a Service that reaches that service on its port', () => {
        for (const spec of SERVICE_SPECS) {
          const { env } = serviceDeployment(objects, spec);
          for (const [key, value] of Object.entries(env)) {
            if (!/_URL$/.test(key) || key === 'DATABASE_URL' || key === 'OTEL_EXPORTER_OTLP_ENDPOINT')
              continue;
            const url = new URL(value);
            const service = serviceNamed(objects, url.hostname);
            expect([spec.name, key, Boolean(service)]).toEqual([spec.name, key, true]);
            const selected =
              (service?.spec?.selector as Record<string, string>)['app.kubernetes.io/name'] ?? '';
            const pods = deployment(objects, selected);
            expect([spec.name, key, pods && targetContainerPort(service!, pods, Number(url.port))]).toEqual([
              spec.name,
              key,
              Number(url.port),
            ]);
          }
        }
      });

      it('has the gateway resolve every replica of each upstream through a headless Service', () => {
        const { env } = serviceDeployment(
          objects,
          SERVICE_SPECS.find((s) => s.name === 'gateway')!,
        );
        for (const upstream of ['user', 'product', 'order', 'payment', 'notification']) {
          const url = new URL(env[`${upstream.toUpperCase()}_SERVICE_URL`] ?? '');
          expect(url.hostname).toBe(`${upstream}-headless`);
          expect(serviceNamed(objects, url.hostname)?.spec?.clusterIP).toBe('None');
        }
      });

      it(`keeps the development features ${mode === 'production' ? 'off' : 'on'}`, () => {
        const product = serviceDeployment(
          objects,
          SERVICE_SPECS.find((s) => s.name === 'product')!,
        );
        expect(product.env.SEED_CATALOG).toBe(mode === 'production' ? 'false' : 'true');
        // Every service's fault control (/_control/faults) is mounted only with FAULT_INJECTION.
        expect(product.env.FAULT_INJECTION ?? 'false').toBe(mode === 'production' ? 'false' : 'true');
      });

      it('runs Kafka with SASL/SCRAM, deny-by-default ACLs and a read-only root filesystem', () => {
        const kafka = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'kafka');
        const container = kafka?.spec?.template?.spec.containers[0];
        const env = container?.env ?? [];
        expect(env).toContainEqual({ name: 'KAFKA_AUTO_CREATE_TOPICS_ENABLE', value: 'false' });
        expect(env).toContainEqual({ name: 'KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND', value: 'false' });
        expect(env).toContainEqual({
          name: 'KAFKA_LISTENERS',
          value: 'SASL_PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093',
        });
        expect(JSON.stringify(container)).toMatch(/"readOnlyRootFilesystem":true/);
      });
    },
  );
});

describe('the Kubernetes base and docker compose', () => {
  it('have no private key in any file', () => {
    const files = [
      'docker-compose.yml',
      ...fs
        .readdirSync(path.join(root, 'k8s'), { recursive: true, encoding: 'utf8' })
        .map((f) => path.join('k8s', f)),
    ].filter((f) => fs.statSync(path.join(root, f)).isFile());
    for (const file of files)
      expect([file, /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(read(file))]).toEqual([file, false]);
  });
});

describe('deployment security (docs/security.md)', () => {
  it('compose publishes every port on 127.0.0.1 unless SURGE_BIND_ADDRESS says otherwise', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) =>
      ((service as { ports?: string[] }).ports ?? []).map((port) => [name, port] as const),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const [name, port] of published)
      expect([name, port.startsWith('${SURGE_BIND_ADDRESS:-127.0.0.1}:')]).toEqual([name, true]);
  });

  it('never turns fault injection on in the gateway, the published service', () => {
    expect(compose.services['gateway']?.environment?.FAULT_INJECTION).toBe('false');
  });

  it('keeps every password out of the Kubernetes base: it generates no Secret and names no development password', () => {
    const base = read('k8s/base/kustomization.yaml');
    expect(base).not.toMatch(/^secretGenerator:/m);
    for (const [via, objects] of renderings('k8s/base').map((r) => [r.via, r.objects] as const))
      expect([via, objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)]).toEqual([
        via,
        [],
      ]);
    const files = fs
      .readdirSync(path.join(root, 'k8s', 'base'), { recursive: true, encoding: 'utf8' })
      .map((f) => path.join('k8s', 'base', f))
      .filter((f) => fs.statSync(path.join(root, f)).isFile() && !f.endsWith('.sql'));
    for (const file of files) expect([file, /-dev-password@/.test(read(file))]).toEqual([file, false]);
  });

  it('runs Postgres with a read-only root filesystem', () => {
    for (const [via, objects] of renderings('k8s/base').map((r) => [r.via, r.objects] as const)) {
      const postgres = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'postgres');
      const container = postgres?.spec?.template?.spec.containers[0] as
        { securityContext?: { readOnlyRootFilesystem?: boolean } } | undefined;
      expect([via, container?.securityContext?.readOnlyRootFilesystem]).toEqual([via, true]);
    }
  });
});

interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: object;
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: Array<{ port: number }>;
}
interface Policy {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

describe('Kubernetes NetworkPolicies of the base', () => {
  const policies = renderings('k8s/base')
    .at(-1)!
    .objects.filter((o) => o.kind === 'NetworkPolicy')
    .map((o) => o.spec as unknown as Policy);
  const of = (name: string) =>
    policies.find((p) => p.podSelector.matchLabels?.['app.kubernetes.io/name'] === name);
  const names = (peers: PolicyPeer[] = []) =>
    peers.map((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name']);

  it('deny everything by default', () => {
    expect(policies).toContainEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('let only the gateway take traffic from anywhere', () => {
    const open = policies.filter((p) => p.ingress?.some((rule) => rule.from === undefined));
    expect(open.map((p) => p.podSelector.matchLabels?.['app.kubernetes.io/name'])).toEqual(['gateway']);
  });

  it('let each service reach its callees, and the callees take calls only from their callers', () => {
    const calls: Record<string, string[]> = {
      order: ['product', 'payment', 'user'],
      payment: ['payment-provider', 'user'],
    };
    for (const [caller, callees] of Object.entries(calls))
      for (const callee of callees) {
        expect([caller, callee, of(caller)?.egress?.some((r) => names(r.to).includes(callee))]).toEqual([
          caller,
          callee,
          true,
        ]);
        expect([caller, callee, of(callee)?.ingress?.some((r) => names(r.from).includes(caller))]).toEqual([
          caller,
          callee,
          true,
        ]);
      }
    // Nobody but order may reach product's and payment's internal routes (or their public ones, but the gateway);
    // the storefront's operations console reaches their admin listeners only.
    expect(
      of('payment')
        ?.ingress?.flatMap((r) => names(r.from))
        .filter(Boolean)
        .sort(),
    ).toEqual(['gateway', 'order', 'prometheus', 'storefront']);
    expect(
      of('payment-provider')
        ?.ingress?.flatMap((r) => names(r.from))
        .filter(Boolean)
        .sort(),
    ).toEqual(['payment', 'prometheus', 'storefront']);
  });

  it('give every component of the native stack a policy', () => {
    for (const name of [...SERVICE_SPECS.map((s) => s.name), 'postgres', 'redis', 'kafka', 'mailpit'])
      expect([name, of(name) !== undefined]).toEqual([name, true]);
  });
});
