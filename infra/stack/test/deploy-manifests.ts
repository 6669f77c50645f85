import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { parse, parseAllDocuments } from 'yaml';

import { findRepoRoot } from '../src/native/paths';
import type { StackContext } from '../src/services/service-specs';

// Readers of the deployment files for the deploy-* tests: docker-compose.yml as compose
// sees it (merges and ${VAR:-default} interpolation), and the Kubernetes objects of a
// kustomization, rendered by `kubectl kustomize` or, where kubectl is missing, read from
// the files with the few kustomize features these manifests use.

export const root = findRepoRoot();
export const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

export type Env = Record<string, string>;

/** Enough of a StackContext for a ServiceSpec's env() to name its variables (their values are not used). */
export const NATIVE_CONTEXT = {
  paths: { stateDir: '/state' },
  infraEnv: { SURGE_PG_ADMIN_URL: '', REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: '', SMTP_URL: '' },
  databases: {},
  suffix: '',
  urls: {},
  serviceUrls: {},
} as unknown as StackContext;

export interface ComposeService {
  image?: string;
  build?: { context?: string; args?: { SERVICE?: string } };
  environment?: Env;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  read_only?: boolean;
  cpus?: string;
  mem_limit?: string;
}

/** `${NAME:-default}` and `${NAME}` as compose expands them, with an empty shell: tests must not depend on it. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{(\w+)(?::-([^}]*))?\}/g,
    (_match, _name: string, fallback?: string) => fallback ?? '',
  );
}

/** docker-compose.yml with its `<<:` merges applied and every environment value and image interpolated. */
export function loadCompose(): { services: Record<string, ComposeService> } {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  for (const service of Object.values(compose.services)) {
    // `${SURGE_POSTGRES_IMAGE:-postgres:15}`: the default, as compose sees it without the variable.
    if (service.image) service.image = interpolate(service.image);
    if (!service.environment) continue;
    service.environment = Object.fromEntries(
      Object.entries(service.environment).map(([key, value]) => [key, interpolate(String(value))]),
    );
  }
  return compose;
}

/** "45s", "1m30s" as seconds. */
export function composeDurationSeconds(value: string): number {
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match || value === '') throw new Error(`not a compose duration: ${value}`);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  env?: EnvVar[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Env; limits?: Env };
  securityContext?: { readOnlyRootFilesystem?: boolean };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Env };
  data?: Env;
  stringData?: Env;
  spec?: {
    replicas?: number;
    clusterIP?: string;
    selector?: { matchLabels?: Env } | Env;
    ports?: Array<{ name: string; port: number; targetPort: string | number }>;
    template?: {
      metadata: { labels: Env };
      spec: {
        terminationGracePeriodSeconds?: number;
        initContainers?: Container[];
        containers: Container[];
      };
    };
  };
}

export interface Rendering {
  /** How the objects were obtained: `kubectl kustomize` or reading the files. */
  via: string;
  objects: K8sObject[];
}

/** The objects of a kustomization (`k8s/base`, `k8s/overlays/dev`) every way available here. */
export function renderings(dir: string): Rendering[] {
  const fromFiles = { via: 'the files', objects: readKustomization(dir) };
  const rendered = kubectlKustomize(dir);
  return rendered ? [{ via: 'kubectl kustomize', objects: rendered }, fromFiles] : [fromFiles];
}

function kubectlKustomize(dir: string): K8sObject[] | undefined {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', path.join(root, dir)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // No kubectl here: the files are read directly instead. Any other failure is a broken kustomization.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseAllDocuments(output)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

interface Generator {
  name: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
}

interface Kustomization {
  resources?: string[];
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
}

/** Resources (recursively through bases) plus the generated ConfigMaps and Secrets, names without hash. */
function readKustomization(dir: string): K8sObject[] {
  const objects: K8sObject[] = [];
  const generated = new Map<string, K8sObject>();
  const walk = (current: string) => {
    const kustomization = parse(read(path.join(current, 'kustomization.yaml'))) as Kustomization;
    for (const resource of kustomization.resources ?? []) {
      const target = path.join(current, resource);
      if (fs.statSync(path.join(root, target)).isDirectory()) walk(target);
      else objects.push(...parseAllDocuments(read(target)).map((doc) => doc.toJS() as K8sObject));
    }
    const generators = [
      ...(kustomization.configMapGenerator ?? []).map((g) => ['ConfigMap', g] as const),
      ...(kustomization.secretGenerator ?? []).map((g) => ['Secret', g] as const),
    ];
    for (const [kind, generator] of generators) {
      const id = `${kind}/${generator.name}`;
      const data: Env = { ...(generator.behavior === 'merge' ? generated.get(id)?.stringData : {}) };
      for (const literal of generator.literals ?? []) {
        const at = literal.indexOf('=');
        data[literal.slice(0, at)] = literal.slice(at + 1);
      }
      for (const file of generator.files ?? []) data[path.basename(file)] = read(path.join(current, file));
      generated.set(id, { kind, metadata: { name: generator.name }, stringData: data });
    }
  };
  walk(dir);
  return [...objects, ...generated.values()];
}

/** A ConfigMap's or Secret's values, decoded; names match with or without kustomize's hash suffix. */
function dataOf(objects: K8sObject[], kind: string, name: string): Env | undefined {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) return undefined;
  if (found.stringData) return found.stringData;
  if (kind !== 'Secret') return found.data ?? {};
  return Object.fromEntries(
    Object.entries(found.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
  );
}

/**
 * The environment a container starts with: envFrom ConfigMaps, then env (which wins),
 * with Secret references resolved. `external` supplies Secrets an operator creates
 * outside the repository; an optional reference to a Secret that exists nowhere is unset.
 */
export function containerEnv(
  objects: K8sObject[],
  container: Container,
  external: Record<string, Env> = {},
): Env {
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    if (!name) continue;
    const data = dataOf(objects, 'ConfigMap', name);
    if (!data) throw new Error(`${container.name}: ConfigMap ${name} is not among the objects`);
    Object.assign(env, data);
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = variable.value;
      continue;
    }
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const secret = dataOf(objects, 'Secret', ref.name) ?? external[ref.name];
    const value = secret?.[ref.key];
    if (value !== undefined) env[variable.name] = value;
    else if (!ref.optional)
      throw new Error(`${container.name}: ${variable.name} refers to missing ${ref.name}/${ref.key}`);
  }
  return env;
}

export function deployment(objects: K8sObject[], name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
}

export function serviceNamed(objects: K8sObject[], name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
}

/** The container port a Service port reaches on the pods of a Deployment (by name or number). */
export function targetContainerPort(service: K8sObject, pods: K8sObject, port: number): number | undefined {
  const servicePort = service.spec?.ports?.find((p) => p.port === port);
  if (!servicePort) return undefined;
  if (typeof servicePort.targetPort === 'number') return servicePort.targetPort;
  return pods.spec?.template?.spec.containers
    .flatMap((c) => c.ports ?? [])
    .find((p) => p.name === servicePort.targetPort)?.containerPort;
}

// The base runs in production mode: the services then need the Secrets an operator
// creates (never in the repository; k8s/create-secrets.sh). Their values here are
// stand-ins of the right shape, with random-looking passwords (production refuses the
// development ones): config parsing checks presence, not the key.
const databaseSecret = (role: string) => ({
  DATABASE_URL: `postgres://${role}:Vb7kQ2xN9mR4tZ1w@postgres:5432/${role}`,
});
export const OPERATOR_SECRETS = {
  'user-database': databaseSecret('surge_user'),
  'product-database': databaseSecret('surge_product'),
  'order-database': databaseSecret('surge_order'),
  'payment-database': databaseSecret('surge_payment'),
  'notification-database': databaseSecret('surge_notification'),
  'payment-provider-database': databaseSecret('surge_provider'),
  'user-kafka': { KAFKA_SASL_PASSWORD: 'Qm3xT8vL1pR6sW0z' },
  'product-kafka': { KAFKA_SASL_PASSWORD: 'Hn5cV2bK9jF4dS7a' },
  'order-kafka': { KAFKA_SASL_PASSWORD: 'Pz1wE6rT3yU8iO5q' },
  'payment-kafka': { KAFKA_SASL_PASSWORD: 'Lk4jH7gF2dS9aQ6w' },
  'notification-kafka': { KAFKA_SASL_PASSWORD: 'Xc8vB3nM5qW1eR7t' },
  'kafka-credentials': {
    SURGE_KAFKA_PASSWORD_SURGE_ADMIN: 'Ty6uI2oP9aS4dF1g',
    SURGE_KAFKA_PASSWORD_USER: 'Qm3xT8vL1pR6sW0z',
    SURGE_KAFKA_PASSWORD_PRODUCT: 'Hn5cV2bK9jF4dS7a',
    SURGE_KAFKA_PASSWORD_ORDER: 'Pz1wE6rT3yU8iO5q',
    SURGE_KAFKA_PASSWORD_PAYMENT: 'Lk4jH7gF2dS9aQ6w',
    SURGE_KAFKA_PASSWORD_NOTIFICATION: 'Xc8vB3nM5qW1eR7t',
  },
  'surge-user-secrets': {
    'jwt-private-key': 'a PEM-encoded RS256 key, created with openssl genpkey',
    'admin-email': 'admin@example.com',
    'admin-password': 'a-long-random-password',
  },
  'surge-storefront-secrets': { 'session-secret': 'a-long-random-session-secret' },
  // Each Redis-using service's own ACL user, as k8s/create-secrets.sh creates it.
  ...Object.fromEntries(
    ['gateway', 'user', 'product', 'order', 'storefront'].map((service) => [
      `${service}-redis`,
      { REDIS_URL: `redis://${service}:a-random-${service}-password@redis:6379` },
    ]),
  ),
  // As k8s/create-secrets.sh makes it: order's secret, and its SHA-256 for the user service.
  'surge-service-clients': {
    'order-client-secret': 'Qm3vX8kR2tW9zL4nB7cY1dF6hJ0pS5gA',
    'user-client-secrets': 'order=sha256:0c1f2d7e3b8a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5',
  },
};
