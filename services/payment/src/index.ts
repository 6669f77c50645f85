/**
 * What other workspaces may use of the payment service: its config parser, which the
 * deployment checks (infra/stack/test/deploy-config.test.ts) run on every manifest's environment.
 */
export { loadConfig, type PaymentConfig } from './config';
