import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { parseAllDocuments } from 'yaml';

import { root } from './deploy-manifests';

/**
 * The static checks of the deployment files, with the tools the ecosystem uses on them
 * (not our own readers): `kustomize build` of the base and every overlay, the rendered
 * objects validated against the Kubernetes 1.35 API schemas (kubernetes-validate
 * --strict, offline: the schemas ship with it), hadolint on every Dockerfile, and
 * `docker compose config -q`. infra/containers/static-tools.sh installs the tools once
 * into ~/.cache/surge/containers (the first time builds kustomize and compose from the Go
 * module proxy, a few minutes); the real runs are `npm run compose:check` and
 * `npm run k8s:check`.
 */
interface Tools {
  kustomize: string;
  compose: string;
  kubernetesValidate: string;
  hadolint: string;
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: {
    replicas?: number;
    template?: { spec: { containers: Array<{ resources?: { requests?: Record<string, string> } }> } };
  };
}

const KUBERNETES_VERSION = '1.35.0';
const kustomizations = [
  'k8s/base',
  ...fs
    .readdirSync(path.join(root, 'k8s/overlays'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `k8s/overlays/${entry.name}`),
];

let tools: Tools;
let workDir: string;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(command, args, {
      cwd: root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`,
    );
  }
}

function render(kustomization: string): { file: string; objects: K8sObject[] } {
  const yaml = run(tools.kustomize, ['build', kustomization]);
  const file = path.join(workDir, `${kustomization.replace(/\W+/g, '-')}.yaml`);
  fs.writeFileSync(file, yaml);
  return { file, objects: parseAllDocuments(yaml).map((doc) => doc.toJS() as K8sObject) };
}

const cpuMillis = (value = '0'): number =>
  value.endsWith('m') ? Number(value.slice(0, -1)) : Number(value) * 1000;
const memMiB = (value = '0'): number => {
  const units: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024 };
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(value);
  if (!match) throw new Error(`unexpected memory quantity ${value}`);
  return Number(match[1]) * (match[2] ? units[match[2]]! : 1 / (1024 * 1024));
};

beforeAll(() => {
  const out = execFileSync('bash', [path.join(root, 'infra/containers/static-tools.sh')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  tools = JSON.parse(out.trim().split('\n').pop()!) as Tools;
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-container-files-'));
}, 45 * 60_000);

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('the Kubernetes manifests', () => {
  it.each(kustomizations)('%s builds with kustomize and validates strictly against the 1.35 API', (dir) => {
    const { file, objects } = render(dir);
    expect(objects.length).toBeGreaterThan(10);
    run(tools.kubernetesValidate, ['--strict', '--quiet', '-k', KUBERNETES_VERSION, file]);
  });

  it('the validator is strict: an unknown field in a Deployment fails', () => {
    const bad = path.join(workDir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: bad}',
        'spec:',
        '  selector: {matchLabels: {app: bad}}',
        '  template:',
        '    metadata: {labels: {app: bad}}',
        '    spec: {containers: [{name: bad, image: bad, imagePolicy: Always}]}',
      ].join('\n'),
    );
    expect(() =>
      run(tools.kubernetesValidate, ['--strict', '--quiet', '-k', KUBERNETES_VERSION, bad]),
    ).toThrow(/imagePolicy/);
  });

  it('the dev overlay puts every namespaced object, Jaeger included, in namespace surge', () => {
    const { objects } = render('k8s/overlays/dev');
    const clusterScoped = new Set([
      'Namespace',
      'StorageClass',
      'PersistentVolume',
      'ClusterRole',
      'ClusterRoleBinding',
    ]);
    const outside = objects
      .filter((o) => !clusterScoped.has(o.kind) && o.metadata.namespace !== 'surge')
      .map((o) => `${o.kind}/${o.metadata.name}`);
    expect(outside).toEqual([]);
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'jaeger')).toBe(true);
  });

  it('the dev overlay fits one 2-CPU, 4-GiB node with room, even with product scaled to 3', () => {
    // minikube's default node; its own system pods request about 0.75 CPU and 0.4 GiB.
    const { objects } = render('k8s/overlays/dev');
    let cpu = 0;
    let mem = 0;
    for (const o of objects) {
      if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet') continue;
      const replicas = o.metadata.name === 'product' ? 3 : (o.spec?.replicas ?? 1);
      for (const c of o.spec?.template?.spec.containers ?? []) {
        cpu += replicas * cpuMillis(c.resources?.requests?.cpu);
        mem += replicas * memMiB(c.resources?.requests?.memory);
      }
    }
    expect(cpu).toBeLessThanOrEqual(1_000);
    expect(mem).toBeLessThanOrEqual(3_072);
  });
});

describe('the Dockerfiles', () => {
  it('pass hadolint (the service Dockerfile and the stand-in images)', () => {
    const images = path.join(root, 'infra/containers/images');
    const files = [
      'Dockerfile',
      ...fs.readdirSync(images).map((name) => path.relative(root, path.join(images, name, 'Dockerfile'))),
    ];
    run(tools.hadolint, ['--config', path.join(root, '.hadolint.yaml'), ...files]);
  });

  it('the service Dockerfile needs no BuildKit frontend image and deploys without --offline', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).not.toMatch(/^# *syntax=/m);
    expect(dockerfile).not.toMatch(/deploy[^\n]*--offline/);
  });
});

describe('docker-compose.yml', () => {
  it('passes `docker compose config -q`, with the official images by default', () => {
    const env = { ...process.env };
    for (const name of Object.keys(env)) if (/^SURGE_\w+_IMAGE$/.test(name)) delete env[name];
    run(tools.compose, ['-f', 'docker-compose.yml', 'config', '-q'], env);
    const images = run(tools.compose, ['-f', 'docker-compose.yml', 'config', '--images'], env).split('\n');
    expect(images).toEqual(
      expect.arrayContaining([
        'postgres:15',
        'redis:7',
        'apache/kafka:4.1.1',
        'axllent/mailpit:v1.31.0',
        'jaegertracing/jaeger:2.13.0',
      ]),
    );
  });

  it('takes stand-in images only through its variables', () => {
    const env = { ...process.env, SURGE_POSTGRES_IMAGE: 'surge-local/postgres:15' };
    const images = run(tools.compose, ['-f', 'docker-compose.yml', 'config', '--images'], env).split('\n');
    expect(images).toContain('surge-local/postgres:15');
    expect(images).not.toContain('postgres:15');
  });
});
