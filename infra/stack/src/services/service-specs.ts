import fs from 'node:fs';
import path from 'node:path';
import { findRepoRoot } from '../native/paths';
import type { SurgePaths } from '../native/paths';
import { redisServiceUrl } from '../native/redis-acl';
import { instancePort } from './instances';
import { devKafkaPassword } from '@surge/config';

/** A service's own Kafka principal with its development password (kafka-security.ts). */
function kafkaPrincipalEnv(service: string): Record<string, string> {
  return { KAFKA_SASL_USERNAME: service, KAFKA_SASL_PASSWORD: devKafkaPassword(service) };
}

/** What the stack knows about the infrastructure when it starts services. */
export interface StackContext {
  paths: SurgePaths;
  infraEnv: {
    SURGE_PG_ADMIN_URL: string;
    /** As the admin user; each service gets its own ACL user (redisServiceUrl). */
    REDIS_URL: string;
    KAFKA_BROKERS: string;
    SMTP_URL?: string;
    OTEL_EXPORTER_OTLP_ENDPOINT?: string;
    JAEGER_QUERY_URL?: string;
    JAEGER_UI_URL?: string;
  };
  /** Database URLs by service name, provisioned before services start. */
  databases: Record<string, string>;
  /**
   * SURGE_DATABASE_SUFFIX (stack-context.ts): a stack with databases of its own also reads
   * events in a consumer group of its own, or it would share the partitions with another
   * stack on the same broker and write that stack's notifications into its own database.
   */
  suffix: string;
  /** Base URL of every service the stack runs (its instance 0), by name. */
  urls: Record<string, string>;
  /**
   * What services are given as `<NAME>_SERVICE_URL`: the `file://` URL of the service's
   * addresses file, so callers follow `npm run stack -- scale` (upstreams-file.ts).
   */
  serviceUrls: Record<string, string>;
  /** Toxiproxy's API when network faults are on: services then reach dependencies through it. */
  toxiproxyUrl?: string;
}

export interface ServiceSpec {
  name: string;
  /** Workspace folder, relative to the repo root. */
  dir: string;
  defaultPort: number;
  /** Own database (role and database of the same name), if any. */
  database?: string;
  /**
   * Services that must be ready before this one starts, because it calls them as soon as
   * it runs (a recovery worker or reconciler at start): calls refused by a service that
   * is still starting would open this one's breaker towards it for its reset time, and
   * checkouts right after "Surge is up" would answer 503. Compose says the same with
   * depends_on; in Kubernetes the breaker's half-open probe ends it.
   */
  startAfter?: string[];
  env(ctx: StackContext): Record<string, string>;
}

const HOST = '127.0.0.1';

/** Every service of Surge, with the environment the native stack gives it. */
const ALL_SERVICE_SPECS: ServiceSpec[] = [
  {
    name: 'user',
    dir: 'services/user',
    defaultPort: 3001,
    database: 'surge_user',
    env: (ctx) => ({
      DATABASE_URL: ctx.databases.surge_user ?? '',
      REDIS_URL: redisServiceUrl(ctx.infraEnv.REDIS_URL, 'user'),
      KAFKA_BROKERS: ctx.infraEnv.KAFKA_BROKERS,
      ...kafkaPrincipalEnv('user'),
      DEV_KEYS_DIR: path.join(ctx.paths.stateDir, 'keys', 'user'),
    }),
  },
  {
    name: 'product',
    dir: 'services/product',
    defaultPort: 3002,
    database: 'surge_product',
    env: (ctx) => ({
      DATABASE_URL: ctx.databases.surge_product ?? '',
      REDIS_URL: redisServiceUrl(ctx.infraEnv.REDIS_URL, 'product'),
      KAFKA_BROKERS: ctx.infraEnv.KAFKA_BROKERS,
      ...kafkaPrincipalEnv('product'),
      USER_SERVICE_URL: ctx.serviceUrls.user ?? '',
      // The deterministic development catalog (idempotent: existing SKUs are kept).
      SEED_CATALOG: 'true',
    }),
  },
  {
    name: 'payment-provider',
    dir: 'services/payment-provider',
    defaultPort: 3010,
    database: 'surge_provider',
    env: (ctx) => ({ DATABASE_URL: ctx.databases.surge_provider ?? '' }),
  },
  {
    name: 'payment',
    startAfter: ['user', 'payment-provider'],
    dir: 'services/payment',
    defaultPort: 3004,
    database: 'surge_payment',
    env: (ctx) => ({
      DATABASE_URL: ctx.databases.surge_payment ?? '',
      KAFKA_BROKERS: ctx.infraEnv.KAFKA_BROKERS,
      ...kafkaPrincipalEnv('payment'),
      USER_SERVICE_URL: ctx.serviceUrls.user ?? '',
      PAYMENT_PROVIDER_URL: ctx.serviceUrls['payment-provider'] ?? '',
    }),
  },
  {
    name: 'order',
    startAfter: ['user', 'product', 'payment'],
    dir: 'services/order',
    defaultPort: 3003,
    database: 'surge_order',
    env: (ctx) => ({
      DATABASE_URL: ctx.databases.surge_order ?? '',
      REDIS_URL: redisServiceUrl(ctx.infraEnv.REDIS_URL, 'order'),
      KAFKA_BROKERS: ctx.infraEnv.KAFKA_BROKERS,
      ...kafkaPrincipalEnv('order'),
      USER_SERVICE_URL: ctx.serviceUrls.user ?? '',
      PRODUCT_SERVICE_URL: ctx.serviceUrls.product ?? '',
      PAYMENT_SERVICE_URL: ctx.serviceUrls.payment ?? '',
    }),
  },
  {
    name: 'notification',
    dir: 'services/notification',
    defaultPort: 3005,
    database: 'surge_notification',
    env: (ctx) => ({
      DATABASE_URL: ctx.databases.surge_notification ?? '',
      KAFKA_BROKERS: ctx.infraEnv.KAFKA_BROKERS,
      ...kafkaPrincipalEnv('notification'),
      // Only a stack with databases of its own needs it (compose and Kubernetes run one
      // stack, with the default group); inside the prefix its principal may join (KAFKA_ACCESS).
      ...(ctx.suffix ? { CONSUMER_GROUP: `notification${ctx.suffix}` } : {}),
      USER_SERVICE_URL: ctx.serviceUrls.user ?? '',
      SMTP_URL: ctx.infraEnv.SMTP_URL ?? '',
    }),
  },
  {
    name: 'gateway',
    // Last, as compose's depends_on has it: the gateway's /health/ready is the one signal a
    // script or probe polls to learn that Surge is up, and its own readiness (rightly, for
    // Kubernetes) depends on no upstream. Started before them, it said 200 while a login or
    // a catalog read still answered 503 DEPENDENCY_UNAVAILABLE.
    startAfter: ['user', 'product', 'order', 'payment', 'notification'],
    dir: 'services/gateway',
    defaultPort: 8080,
    env: (ctx) => ({
      REDIS_URL: redisServiceUrl(ctx.infraEnv.REDIS_URL, 'gateway'),
      USER_SERVICE_URL: ctx.serviceUrls.user ?? '',
      PRODUCT_SERVICE_URL: ctx.serviceUrls.product ?? '',
      ORDER_SERVICE_URL: ctx.serviceUrls.order ?? '',
      PAYMENT_SERVICE_URL: ctx.serviceUrls.payment ?? '',
      NOTIFICATION_SERVICE_URL: ctx.serviceUrls.notification ?? '',
      STOREFRONT_SERVICE_URL: ctx.serviceUrls.storefront ?? '',
    }),
  },
  {
    name: 'storefront',
    dir: 'services/storefront',
    defaultPort: 3006,
    env: (ctx) => ({
      REDIS_URL: redisServiceUrl(ctx.infraEnv.REDIS_URL, 'storefront'),
      // The public API, as a browser's client would reach it: through the gateway.
      GATEWAY_URL: ctx.urls.gateway ?? '',
      // The console reads every service's /metrics and /_control through the addresses
      // files, so instances added by `stack scale` show up.
      OPS_METRICS_URLS: Object.entries(ctx.serviceUrls)
        .map(([name, url]) => `${name}=${url}`)
        .join(','),
      OPS_RESULTS_DIR: path.join(findRepoRoot(), 'docs', 'results'),
      ...(ctx.infraEnv.JAEGER_UI_URL ? { JAEGER_UI_URL: ctx.infraEnv.JAEGER_UI_URL } : {}),
    }),
  },
];

/**
 * The services `npm run stack -- up` runs. Each reads every address from env, as in docker
 * compose and Kubernetes. A service whose folder is absent (a partial checkout) is
 * skipped; the gateway then answers 503 for its routes.
 */
export const SERVICE_SPECS: ServiceSpec[] = ALL_SERVICE_SPECS.filter((spec) =>
  fs.existsSync(path.join(findRepoRoot(), spec.dir, 'package.json')),
);

/** `SURGE_GATEWAY_PORT=9090` moves a service (`SURGE_PAYMENT_PROVIDER_PORT` for payment-provider). */
export function portVariable(spec: ServiceSpec): string {
  return `SURGE_${spec.name.toUpperCase().replace(/-/g, '_')}_PORT`;
}

export function portOf(spec: ServiceSpec, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[portVariable(spec)];
  const port = raw === undefined ? spec.defaultPort : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${portVariable(spec)} must be a port number, got ${raw}`);
  return port;
}

export function urlOf(spec: ServiceSpec, env: NodeJS.ProcessEnv = process.env): string {
  return `http://${HOST}:${portOf(spec, env)}`;
}

/**
 * Distance between a service's public port and its admin listener (readiness details,
 * /metrics, /_control/faults), as the services default it (http-kit's adminPortFor):
 * the stack sets no ADMIN_PORT, so every instance's admin port follows its own.
 */
export const ADMIN_PORT_DISTANCE = 1000;

/** The admin listener of the service's instance 0 (loopback only). */
export function adminUrlOf(spec: ServiceSpec, env: NodeJS.ProcessEnv = process.env): string {
  return `http://${HOST}:${portOf(spec, env) + ADMIN_PORT_DISTANCE}`;
}

/** The admin listener of the instance at `url` (a URL from a service record). */
export function instanceAdminUrl(url: string): string {
  const parsed = new URL(url);
  parsed.port = String(Number(parsed.port) + ADMIN_PORT_DISTANCE);
  return parsed.origin;
}

/** The address of one instance of a service (instance 0 is urlOf). */
export function instanceUrl(port: number): string {
  return `http://${HOST}:${port}`;
}

export function findSpec(service: string): ServiceSpec {
  const spec = SERVICE_SPECS.find((entry) => entry.name === service);
  if (!spec) throw new Error(`unknown service "${service}"`);
  return spec;
}

export const serviceNames = (): string[] => SERVICE_SPECS.map((spec) => spec.name);

/** Port of instance `index` of `spec` (instances.ts: port + 100·index). */
export function portOfInstance(
  spec: ServiceSpec,
  index: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const ownPorts = SERVICE_SPECS.filter((other) => other !== spec).map((other) => portOf(other, env));
  return instancePort(portOf(spec, env), index, ownPorts);
}

export { HOST as SERVICE_HOST };
