import { RemoteJwks, ServiceTokenVerifier, TokenVerifier } from '@surge/auth';
import { kafkaSaslOf, type KafkaSasl } from '@surge/config';
import { ServiceClient, type ServiceClientOptions } from '@surge/http-client';
import {
  createHttpApp,
  createMetricsRegistry,
  startServer,
  type HttpApp,
  type HttpAppOptions,
  type ReadinessCheck,
  type RunningServer,
} from '@surge/http-kit';
import type { Logger } from '@surge/logger';
// Types only at the top: pg, kafkajs and the outbox load when a service takes a step that
// needs them (postgres, kafka, outboxRelay), so a service without a database or a broker
// (the gateway) does not hold them in memory (15 MB of RSS, measured).
import type { Kafka } from '@surge/messaging';
import type { CreatePoolOptions, Pool } from '@surge/postgres';
import { createRedis, pingRedis, type Redis } from '@surge/redis';
import type { Registry } from 'prom-client';
import { migrateServiceDatabase } from './migrate-service-database';
import { StopList } from './stop-list';

/** The listeners' settings every service's config has (baseServiceEnv). */
export interface ListenConfig {
  PORT: number;
  HOST: string;
  ADMIN_HOST?: string | undefined;
  ADMIN_PORT?: number | undefined;
  SHUTDOWN_GRACE_MS: number;
}

/** The Kafka settings of a service that publishes an outbox or consumes events. */
export interface KafkaConfig {
  KAFKA_BROKERS?: readonly string[] | undefined;
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: string | undefined;
}

export interface PostgresOptions {
  databaseUrl: string;
  /** The service's own SQL migrations, applied before the pool opens. */
  migrationsDir: string;
  /** The outbox and inbox tables of @surge/messaging too (services that publish or consume events). */
  messaging?: boolean;
  /** Pool sizes and timeouts where the service needs other than the defaults. */
  pool?: Omit<CreatePoolOptions, 'connectionString' | 'applicationName' | 'logger'>;
}

export interface UserClientOptions extends Pick<
  ServiceClientOptions,
  'timeoutMs' | 'connections' | 'breaker' | 'retry'
> {
  url: string;
}

export interface JwtConfig {
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

/** The public listener's request handler and server options, when express's app alone is not it. */
export type PublicListener = Pick<HttpApp, 'listener' | 'serverOptions'>;

export type ServeOptions = Omit<HttpAppOptions, 'service' | 'logger' | 'registry' | 'readiness'> & {
  /** Checks beyond those the kit registered (postgres, and redis when asked). */
  readiness?: Record<string, ReadinessCheck>;
  /**
   * Builds the public listener from the finished app, once, before the server starts: a
   * service whose hot path runs in front of express's router (the gateway's proxy) hands
   * the rest to `http.app`, and treats its own requests with the app's `basics` and
   * `errorHandler`. Whatever it returns is the server's handler; the kit adds nothing
   * per request. Unset: express's app is the listener.
   */
  publicListener?: (http: HttpApp) => PublicListener;
};

/**
 * The steps every service's wiring shares, in the order they run (config and logger
 * come from runMain): pool and migrations, Redis, the JWKS client and verifiers, the
 * metrics registry, the outbox relay, the HTTP app, the listeners. Each step that opens
 * something registers how to release it; `serve` hands the list to the server, which
 * releases it last opened first after the listeners close.
 */
export class ServiceKit {
  /** One registry for the app's /metrics, the clients' and the pool's metrics alike. */
  readonly registry: Registry;
  private readonly readiness: Record<string, ReadinessCheck> = {};
  private readonly stops: StopList;
  private running: RunningServer | undefined;

  constructor(
    readonly name: string,
    readonly logger: Logger,
  ) {
    this.registry = createMetricsRegistry(name);
    this.stops = new StopList(logger);
  }

  /** Releases `release` on stop, before everything registered earlier (see StopList). */
  onStop(what: string, release: () => Promise<unknown>): void {
    if (this.running) throw new Error(`${what} registered after the server started: it would never stop`);
    this.stops.add(what, release);
  }

  /** Migrations, then the pool: its metrics, readiness probe, and `end` last of all on stop. */
  async postgres(options: PostgresOptions): Promise<Pool> {
    const { createPool, pingPostgres, registerPoolMetrics } = await import('@surge/postgres');
    await migrateServiceDatabase({ ...options, logger: this.logger });
    const pool = createPool({
      ...options.pool,
      connectionString: options.databaseUrl,
      applicationName: this.name,
      logger: this.logger,
    });
    registerPoolMetrics(this.registry, pool);
    this.readiness.postgres = () => pingPostgres(pool);
    this.onStop('postgres pool', () => pool.end());
    return pool;
  }

  /**
   * A Redis client as the service's ACL user (the user and password are in the URL).
   * `readiness`: whether the service is unready without it; a cache is not a reason.
   * `autoPipelining`: one write per event-loop turn, for many small commands at once
   * (createRedis says when it pays).
   */
  redis(options: { url: string; keyPrefix?: string; readiness: boolean; autoPipelining?: boolean }): Redis {
    const redis = createRedis({
      url: options.url,
      logger: this.logger,
      ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
      ...(options.autoPipelining === undefined ? {} : { autoPipelining: options.autoPipelining }),
    });
    if (options.readiness) this.readiness.redis = () => pingRedis(redis);
    // quit() waits for a connection that may never come back; a dead link is just dropped.
    this.onStop('redis', async () => (redis.status === 'ready' ? redis.quit() : redis.disconnect()));
    return redis;
  }

  /** A client of another service, with its metrics in this registry; closed on stop. */
  client(options: Omit<ServiceClientOptions, 'registry' | 'logger'>): ServiceClient {
    const client = new ServiceClient({ ...options, registry: this.registry, logger: this.logger });
    this.onStop(`${options.name} client`, () => client.close());
    return client;
  }

  /**
   * The user service's client for its JWKS: reads only, so a GET retried; an open
   * breaker fails checks of unknown keys at once (503) while cached keys keep verifying.
   */
  userClient(options: UserClientOptions): ServiceClient {
    const { url, ...rest } = options;
    return this.client({ name: 'user', baseUrl: url, ...rest });
  }

  /**
   * Verifiers over the user service's JWKS: of user tokens for the public routes, and of
   * service tokens minted for this service (its name is their audience) for /internal.
   */
  verifiers(
    client: ServiceClient,
    config: JwtConfig,
    options: { minRefreshIntervalMs?: number } = {},
  ): { user: TokenVerifier; service: ServiceTokenVerifier } {
    const keys = new RemoteJwks({ client, logger: this.logger, ...options });
    const issuer = config.JWT_ISSUER;
    return {
      user: new TokenVerifier({ keys, issuer, audience: config.JWT_AUDIENCE }),
      service: new ServiceTokenVerifier({ keys, issuer, audience: this.name }),
    };
  }

  /** kafkajs as this service's principal, for its consumers and admin operations. */
  async kafka(config: KafkaConfig & { KAFKA_BROKERS: readonly string[] }): Promise<Kafka> {
    const { createKafka } = await import('@surge/messaging');
    const sasl: KafkaSasl | undefined = kafkaSaslOf(config);
    return createKafka({
      brokers: [...config.KAFKA_BROKERS],
      clientId: this.name,
      logger: this.logger,
      sasl,
    });
  }

  /**
   * The outbox's metrics, and its relay unless Kafka is not configured or the relay is
   * off (events then wait in the table for a relay that runs).
   */
  async outboxRelay(pool: Pool, config: KafkaConfig & { OUTBOX_RELAY: boolean }): Promise<void> {
    const { registerOutboxMetrics, startOutboxRelay } = await import('@surge/messaging');
    registerOutboxMetrics(this.registry, pool, this.logger);
    const relay = await startOutboxRelay({
      service: this.name,
      pool,
      brokers: config.KAFKA_BROKERS,
      sasl: kafkaSaslOf(config),
      enabled: config.OUTBOX_RELAY,
      logger: this.logger,
    });
    if (relay) this.onStop('outbox relay', () => relay.stop());
  }

  /** The public app and the admin listener; the last step: nothing may be registered after it. */
  async serve(config: ListenConfig, options: ServeOptions): Promise<RunningServer> {
    const { publicListener, ...appOptions } = options;
    const http = createHttpApp({
      ...appOptions,
      service: this.name,
      logger: this.logger,
      registry: this.registry,
      readiness: { ...this.readiness, ...options.readiness },
    });
    this.running = await startServer(publicListener ? { ...http, ...publicListener(http) } : http, {
      port: config.PORT,
      host: config.HOST,
      adminHost: config.ADMIN_HOST,
      adminPort: config.ADMIN_PORT,
      logger: this.logger,
      graceMs: config.SHUTDOWN_GRACE_MS,
      cleanups: this.stops.cleanups(),
    });
    return this.running;
  }

  /** After a failed start: stop what runs, so nothing outlives it (a taken port, say). */
  async abandon(): Promise<void> {
    if (this.running) await this.running.stop();
    else await this.stops.releaseAll();
  }
}

/**
 * Runs a service's wiring with a fresh kit. When the wiring fails, what it had opened is
 * released before the error goes on, so the caller sees only the reason.
 */
export async function startService<T>(
  name: string,
  logger: Logger,
  wire: (kit: ServiceKit) => Promise<T>,
): Promise<T> {
  const kit = new ServiceKit(name, logger);
  try {
    return await wire(kit);
  } catch (error) {
    await kit.abandon();
    throw error;
  }
}
