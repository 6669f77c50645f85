import path from 'node:path';
import type { SurgePaths } from '../native/paths';

/** What the stack knows about the infrastructure when it starts services. */
export interface StackContext {
  paths: SurgePaths;
  infraEnv: { SURGE_PG_ADMIN_URL: string; REDIS_URL: string; KAFKA_BROKERS: string };
  /** Database URLs by service name, provisioned before services start. */
  databases: Record<string, string>;
  /** Base URL of every service the stack runs, by name. */
  urls: Record<string, string>;
}

export interface ServiceSpec {
  name: string;
  /** Workspace folder, relative to the repo root. */
  dir: string;
  defaultPort: number;
  /** Own database (role and database of the same name), if any. */
  database?: string;
  env(ctx: StackContext): Record<string, string>;
}

const HOST = '127.0.0.1';

/**
 * The services `pnpm stack up` runs, in start order (the gateway last, so it finds its
 * upstreams ready). Later issues add product, order, payment, notification here.
 * Every address reaches the service through env, as in docker compose and Kubernetes.
 */
export const SERVICE_SPECS: ServiceSpec[] = [
  {
    name: 'user',
    dir: 'services/user',
    defaultPort: 3001,
    database: 'surge_user',
    env: (ctx) => ({
      DATABASE_URL: ctx.databases.surge_user ?? '',
      REDIS_URL: ctx.infraEnv.REDIS_URL,
      KAFKA_BROKERS: ctx.infraEnv.KAFKA_BROKERS,
      DEV_KEYS_DIR: path.join(ctx.paths.stateDir, 'keys', 'user'),
    }),
  },
  {
    name: 'gateway',
    dir: 'services/gateway',
    defaultPort: 8080,
    env: (ctx) => ({
      REDIS_URL: ctx.infraEnv.REDIS_URL,
      USER_SERVICE_URL: ctx.urls.user ?? '',
    }),
  },
];

/** `SURGE_GATEWAY_PORT=9090` moves a service; the default otherwise. */
export function portOf(spec: ServiceSpec, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[`SURGE_${spec.name.toUpperCase()}_PORT`];
  const port = raw === undefined ? spec.defaultPort : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`SURGE_${spec.name.toUpperCase()}_PORT must be a port number, got ${raw}`);
  }
  return port;
}

export function urlOf(spec: ServiceSpec, env: NodeJS.ProcessEnv = process.env): string {
  return `http://${HOST}:${portOf(spec, env)}`;
}

export { HOST as SERVICE_HOST };
