import { internalOpenApi } from '@surge/contracts';
import { SERVICE_TOKEN_PATH, StaticKeys, TokenVerifier, toPublicJwk } from '@surge/auth';
import { apiDocumentRoutes, authenticate, type RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { startService, type ServiceDefinition } from '@surge/service-runtime';
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, loadConfig, type UserConfig } from './config';
import { createLoginAttemptStore } from './data-access/login-attempt-store';
import { createProfileCache } from './data-access/profile-cache';
import { createRefreshTokenRepository } from './data-access/refresh-token-repository';
import { createUserRepository } from './data-access/user-repository';
import { migrationsDir } from './data-access/migrations-dir';
import { FailureWindow } from './domain/failure-window';
import { DEFAULT_LOGIN_THROTTLE } from './domain/login-throttle';
import { createScryptHasher } from './domain/password-hasher';
import { assertNoDevelopmentAdmin, seedAdmin } from './domain/seed-admin';
import { authRoutes } from './entry-points/http/auth-routes';
import { serviceTokenRoutes, tokenBodyErrors } from './entry-points/http/service-token-routes';
import { userRoutes } from './entry-points/http/user-routes';
import { createAccessTokenIssuer } from './security/access-token-issuer';
import { createServiceTokenSigner } from './security/service-token-signer';
import { loadKeyRing } from './security/signing-keys';

export const SERVICE_NAME = 'user';

/**
 * Wires the user service: migrations, pools, repositories, routes, the outbox relay.
 * main.ts calls it with the parsed environment; tests call it with their own config on
 * port 0.
 */
export async function startUserService(config: UserConfig, logger: Logger): Promise<RunningServer> {
  return startService(SERVICE_NAME, logger, async (kit) => {
    const pool = await kit.postgres({
      databaseUrl: config.DATABASE_URL,
      migrationsDir,
      messaging: true,
    });
    // Sessions, login throttling and the profile cache: not ready without it.
    const redis = kit.redis({ url: config.REDIS_URL, keyPrefix: `${SERVICE_NAME}:`, readiness: true });

    const ring = loadKeyRing(config, logger);
    const key = ring.current;
    const verificationKeys = [{ kid: key.kid, publicKey: key.publicKey }, ...ring.previous];
    const verifier = new TokenVerifier({
      keys: new StaticKeys(new Map(verificationKeys.map((entry) => [entry.kid, entry.publicKey]))),
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
    // Nothing listens yet if this fails: the kit releases the pool and Redis.
    await settleAdmin(config, { users, hasher, cache }, logger);

    await kit.outboxRelay(pool, config);
    return kit.serve(config, {
      // The internal API's OpenAPI document (generated from packages/contracts), for operators.
      adminRoutes: apiDocumentRoutes(() => internalOpenApi('user')),
      faultInjection: config.FAULT_INJECTION,
      formBodyPaths: [SERVICE_TOKEN_PATH],
      routes: (app) => {
        // Before `authenticate`: clients authenticate here with their secret (HTTP Basic or
        // the body), not with a bearer token.
        app.use(SERVICE_TOKEN_PATH, tokenBodyErrors());
        app.use(
          '/internal/auth',
          serviceTokenRoutes({
            clients: { digests: config.SERVICE_CLIENT_SECRETS, audiences: config.SERVICE_TOKEN_AUDIENCES },
            signer: createServiceTokenSigner(key, {
              issuer: config.JWT_ISSUER,
              ttlSeconds: config.SERVICE_TOKEN_TTL_SECONDS,
            }),
            failures: new FailureWindow({
              limit: config.SERVICE_TOKEN_FAILURE_LIMIT,
              windowMs: config.SERVICE_TOKEN_FAILURE_WINDOW_MS,
            }),
          }),
        );
        app.use(authenticate(verifier));
        app.use(
          '/api/auth',
          authRoutes({
            users,
            tokens,
            issuer,
            hasher,
            refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
            attempts: createLoginAttemptStore(redis, config.LOGIN_THROTTLE_TIMEOUT_MS),
            throttle: {
              ...DEFAULT_LOGIN_THROTTLE,
              freeFailures: config.LOGIN_FREE_FAILURES,
              baseDelayMs: config.LOGIN_BACKOFF_BASE_MS,
              maxDelayMs: config.LOGIN_MAX_BACKOFF_MS,
              accountCap: config.LOGIN_ACCOUNT_FAILURE_CAP,
              accountWindowMs: config.LOGIN_ACCOUNT_WINDOW_MS,
            },
            jwks: { keys: verificationKeys.map((entry) => toPublicJwk(entry.publicKey, entry.kid)) },
          }),
        );
        app.use('/api/users', userRoutes({ users, cache }));
      },
    });
  });
}

/** What runMain and the test harness start. */
export const userService: ServiceDefinition<UserConfig> = {
  name: SERVICE_NAME,
  loadConfig,
  start: startUserService,
};

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
