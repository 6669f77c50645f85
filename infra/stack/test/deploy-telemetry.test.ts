import fs from 'node:fs';
import path from 'node:path';

import { parse, parseAllDocuments } from 'yaml';

import { findRepoRoot } from '../src/native/paths';

// The container deployments cannot run here (no Docker engine, no cluster), so their
// telemetry wiring is checked on the files: what each service is started with, what it
// is told about the collector, and that every file a container mounts exists.

const root = findRepoRoot();
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const REGISTER = '/opt/surge/telemetry/dist/register.js';

type Env = Record<string, string>;
interface ComposeService {
  image?: string;
  build?: { args?: { SERVICE?: string } };
  command?: unknown;
  entrypoint?: unknown;
  environment?: Env;
  volumes?: string[];
  ports?: string[];
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const nodeServices = Object.entries(compose.services).filter(([, service]) => service.build?.args?.SERVICE);

describe('the service image', () => {
  const dockerfile = read('Dockerfile');

  it('starts the service with the telemetry register required before its own code', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual([
      'node',
      '--enable-source-maps',
      '--require',
      REGISTER,
      'dist/main.js',
    ]);
  });

  it('builds and ships the register where the command expects it, named after the service', () => {
    expect(dockerfile).toMatch(/tsc -b "services\/\$\{SERVICE\}" packages\/telemetry/);
    expect(dockerfile).toMatch(
      /pnpm --filter @surge\/telemetry deploy --legacy --prod --prefer-offline \/telemetry/,
    );
    expect(dockerfile).toContain('COPY --from=build /telemetry /opt/surge/telemetry');
    expect(dockerfile).toMatch(/OTEL_SERVICE_NAME=\$\{SERVICE\}/);
    // pnpm deploy copies what the package publishes: dist/ must be in its files.
    expect(JSON.parse(read('packages/telemetry/package.json')).files).toContain('dist');
  });
});

describe('docker compose', () => {
  it('runs at least the services built so far from the image', () => {
    expect(nodeServices.map(([name]) => name)).toEqual(expect.arrayContaining(['user', 'gateway']));
  });

  it.each(nodeServices)(
    '%s keeps the image command, names its spans and exports them to the jaeger service',
    (name, service) => {
      expect(service.command).toBeUndefined();
      expect(service.entrypoint).toBeUndefined();
      expect(service.environment?.OTEL_SERVICE_NAME).toBe(name);
      expect(service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    },
  );

  it('runs Jaeger v2 with its UI published, Prometheus and Grafana', () => {
    // The official image by default; compose:check passes a local stand-in through the variable.
    expect(compose.services['jaeger']?.image).toMatch(/^\$\{SURGE_JAEGER_IMAGE:-jaegertracing\/jaeger:2\./);
    expect(compose.services['jaeger']?.ports).toEqual([expect.stringMatching(/:16686$/)]);
    expect(compose.services['prometheus']?.image).toMatch(/^prom\/prometheus:/);
    expect(compose.services['grafana']?.image).toMatch(/^grafana\/grafana:/);
  });

  it('mounts only files and folders that exist in the repository (or run-time output under .surge/)', () => {
    const sources = Object.values(compose.services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0] ?? '')
      // .surge/ is the git-ignored run-time folder: compose creates an output folder there.
      .filter((source) => source.startsWith('./') && !source.startsWith('./.surge/'));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources)
      expect([source, fs.existsSync(path.join(root, source))]).toEqual([source, true]);
  });

  it("has Prometheus scrape every compose service on its admin port (PORT + 1000), and Grafana's data sources point at compose services", () => {
    const prometheus = parse(read('infra/observability/prometheus-compose.yml')) as {
      scrape_configs: Array<{ dns_sd_configs: Array<{ names: string[]; port: number }> }>;
    };
    const scraped = new Map(
      prometheus.scrape_configs.flatMap((job) =>
        job.dns_sd_configs.map((sd) => [sd.names[0], sd.port] as const),
      ),
    );
    for (const [name, service] of nodeServices)
      expect([name, scraped.get(name)]).toEqual([name, Number(service.environment?.PORT) + 1000]);
    const datasources = parse(read('infra/observability/grafana/provisioning/datasources/surge.yml')) as {
      datasources: Array<{ type: string; url: string }>;
    };
    for (const source of datasources.datasources) {
      const host = new URL(source.url).hostname;
      expect(compose.services[host]).toBeDefined();
    }
  });
});

interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Env };
  spec?: {
    selector?: { matchLabels?: Env } | Env;
    ports?: Array<{ port: number; targetPort: string }>;
    template?: {
      metadata: { labels: Env };
      spec: {
        containers: Array<{
          image: string;
          command?: unknown;
          env?: Array<{ name: string; value?: string }>;
          ports?: Array<{ name: string; containerPort: number }>;
        }>;
      };
    };
  };
}

/** Every object a kustomization lists (recursively through its bases), without a cluster. */
function kustomizeResources(dir: string): K8sObject[] {
  const kustomization = parse(read(path.join(dir, 'kustomization.yaml'))) as { resources?: string[] };
  return (kustomization.resources ?? []).flatMap((resource) => {
    const target = path.join(dir, resource);
    if (fs.statSync(path.join(root, target)).isDirectory()) return kustomizeResources(target);
    return parseAllDocuments(read(target)).map((doc) => doc.toJS() as K8sObject);
  });
}

function configLiterals(dir: string): string[] {
  const kustomization = parse(read(path.join(dir, 'kustomization.yaml'))) as {
    configMapGenerator?: Array<{ name: string; literals?: string[] }>;
  };
  return (kustomization.configMapGenerator ?? [])
    .filter((g) => g.name === 'surge-config')
    .flatMap((g) => g.literals ?? []);
}

describe('Kubernetes', () => {
  const dev = kustomizeResources('k8s/overlays/dev');
  const services = dev.filter(
    (o) =>
      o.kind === 'Deployment' &&
      o.spec?.template?.metadata.labels['app.kubernetes.io/component'] === 'service',
  );

  it.each(services.map((o) => [o.metadata.name, o] as const))(
    '%s names its spans and keeps the image command',
    (name, deployment) => {
      const container = deployment.spec!.template!.spec.containers[0]!;
      expect(container.command).toBeUndefined();
      expect(container.env).toContainEqual({ name: 'OTEL_SERVICE_NAME', value: name });
    },
  );

  it("sends the dev overlay's traces to its own Jaeger, whose Service reaches the OTLP and UI ports", () => {
    expect(services.length).toBeGreaterThanOrEqual(2);
    expect(configLiterals('k8s/overlays/dev')).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=http://jaeger:4318');
    const deployment = dev.find((o) => o.kind === 'Deployment' && o.metadata.name === 'jaeger');
    const service = dev.find((o) => o.kind === 'Service' && o.metadata.name === 'jaeger');
    expect(deployment?.spec?.template?.spec.containers[0]?.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(service?.spec?.selector).toEqual({ 'app.kubernetes.io/name': 'jaeger' });
    expect(deployment?.spec?.template?.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'jaeger' });
    const named = new Map(
      (deployment?.spec?.template?.spec.containers[0]?.ports ?? []).map((p) => [p.name, p.containerPort]),
    );
    const byPort = new Map((service?.spec?.ports ?? []).map((p) => [p.port, named.get(p.targetPort)]));
    expect(byPort.get(4318)).toBe(4318);
    expect(byPort.get(16686)).toBe(16686);
  });

  it('leaves the collector to the overlays: the base names none', () => {
    expect(
      configLiterals('k8s/base').some((literal) => literal.startsWith('OTEL_EXPORTER_OTLP_ENDPOINT=')),
    ).toBe(false);
    expect(kustomizeResources('k8s/base').some((o) => o.metadata.name === 'jaeger')).toBe(false);
  });
});
