/**
 * What other workspaces may use of the user service: its config parser, which the
 * deployment checks (infra/stack/test/deploy-config.test.ts) run on every manifest's
 * environment, and the password hashing and login back-off the login-cost bench measures.
 */
export { loadConfig, type UserConfig } from './config';
export { createScryptHasher } from './domain/password-hasher';
export { DEFAULT_LOGIN_THROTTLE, backOffMs, type LoginThrottlePolicy } from './domain/login-throttle';
