/**
 * What other workspaces may use of the order service: its config parser, which the
 * deployment checks (infra/stack/test/deploy-config.test.ts) run on every manifest's environment.
 */
export { loadConfig, type OrderConfig } from './config';
/**
 * And what the service-reads bench seeds an order with, as place-order writes one: the
 * repository (claimCheckout, then createOrder) and the request hash of the idempotency record.
 */
export { createOrderRepository } from './data-access/order-repository';
export { hashRequest } from './domain/request-hash';
