/**
 * What other workspaces may use of the payment service: its config parser, which the
 * deployment checks (infra/stack/test/deploy-config.test.ts) run on every manifest's environment.
 */
export { loadConfig, type PaymentConfig } from './config';
/** And the repository the service-reads bench records a payment intent with, as a charge call does. */
export { createPaymentRepository } from './data-access/payment-repository';
