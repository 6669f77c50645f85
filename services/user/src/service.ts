import { StaticKeys, TokenVerifier, toPublicJwk } from '@surge/auth';
import { authenticate, createHttpApp, startServer, type RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { messagingMigrationsDir, registerOutboxMetrics, startOutboxRelay } from '@surge/messaging';
import { createPool, pingPostgres, registerPoolMetrics, runMigrations } from '@surge/postgres';
import { createRedis, pingRedis } from '@surge/redis';
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, type UserConfig } from './config';
import { createProfileCache } from './data-access/profile-cache';
import { createRefreshTokenRepository } from './data-access/refresh-token-repository';
import { createUserRepository } from './data-access/user-repository';
import { migrationsDir } from './data-access/migrations-dir';
import { createScryptHasher } from './domain/password-hasher';
import { assertNoDevelopmentAdmin, seedAdmin } from './domain/seed-admin';
import { authRoutes } from './entry-points/http/auth-routes';
import { userRoutes } from './entry-points/http/user-routes';
import { createAccessTokenIssuer } from './security/access-token-issuer';
import { loadSigningKey } from './security/signing-keys';

export const SERVICE_NAME = 'user';

/**
 * Wires the user service: migrations, pools, repositories, routes, the outbox relay.
 * main.ts calls it with the parsed environment; tests call it with their own config on
 * port 0.
 */
export async function startUserService(config: UserConfig, logger: Logger): Promise<RunningServer> {
  await runMigrations({ databaseUrl: config.DATABASE_URL, dir: migrationsDir, logger });
  await runMigrations({
    databaseUrl: config.DATABASE_URL,
    dir: messagingMigrationsDir,
    logger,
    table: 'schema_migrations_messaging',
  });
  const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: SERVICE_NAME, logger });
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: `${SERVICE_NAME}:`, logger });

  const key = loadSigningKey(config, logger);
  const verifier = new TokenVerifier({
    keys: new StaticKeys(new Map([[key.kid, key.publicKey]])),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const users = createUserRepository(pool, `/surge/${SERVICE_NAME}`);
  const tokens = createRefreshTokenRepository(pool);
  const cache = createProfileCache(redis, config.PROFILE_CACHE_TTL_SECONDS);
  const hasher = createScryptHasher(config.PASSWORD_HASH_COST);
  const issuer = createAccessTokenIssuer(key, {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });

  try {
    await settleAdmin(config, { users, hasher, cache }, logger);
  } catch (error) {
    // Nothing listens yet: release what was opened, so the caller sees only the reason.
    await Promise.allSettled([pool.end(), redis.quit()]);
    throw error;
  }

  const relay = await startOutboxRelay({
    service: SERVICE_NAME,
    pool,
    brokers: config.KAFKA_BROKERS,
    enabled: config.OUTBOX_RELAY,
    logger,
  });
  const http = createHttpApp({
    service: SERVICE_NAME,
    logger,
    faultInjection: config.FAULT_INJECTION,
    readiness: { postgres: () => pingPostgres(pool), redis: () => pingRedis(redis) },
    routes: (app, { registry }) => {
      registerPoolMetrics(registry, pool);
      registerOutboxMetrics(registry, pool, logger);
      app.use(authenticate(verifier));
      app.use(
        '/api/auth',
        authRoutes({
          users,
          tokens,
          issuer,
          hasher,
          refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
          jwks: { keys: [toPublicJwk(key.publicKey, key.kid)] },
        }),
      );
      app.use('/api/users', userRoutes({ users, cache }));
    },
  });
  return startServer(http, {
    port: config.PORT,
    host: config.HOST,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    cleanups: [() => pool.end(), () => redis.quit(), ...(relay ? [() => relay.stop()] : [])],
  });
}

/**
 * The configured admin is the one that logs in (a changed ADMIN_PASSWORD takes at this
 * start), and production does not start while the development admin's documented
 * password still opens an account.
 */
async function settleAdmin(
  config: UserConfig,
  deps: Parameters<typeof seedAdmin>[0],
  logger: Logger,
): Promise<void> {
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    const outcome = await seedAdmin(deps, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    if (outcome === 'updated')
      logger.warn({ email: config.ADMIN_EMAIL }, 'admin password replaced by the configured ADMIN_PASSWORD');
  }
  if (config.NODE_ENV === 'production')
    await assertNoDevelopmentAdmin(deps, { email: DEV_ADMIN_EMAIL, password: DEV_ADMIN_PASSWORD });
}

/** The relay publishes this service's outbox; without Kafka configured, events wait in the table. */
