import { ServiceClient, type BreakerOptions, type ServiceClientOptions } from '@surge/http-client';
import { upstreamBreakerOptions } from '@surge/config';
import type { Logger } from '@surge/logger';
import type { OrderConfig } from '../config';

/** The metrics registry the HTTP kit serves on /metrics. */
type Registry = NonNullable<ServiceClientOptions['registry']>;

export interface UpstreamClients {
  user: ServiceClient;
  product: ServiceClient;
  payment: ServiceClient;
  close(): Promise<void>;
}

/**
 * The order service's clients of its neighbours, each with its own breaker, retries of
 * idempotent calls and the request's deadline (docs/resilience.md). Every call the saga
 * makes is idempotent by order id (reserve, commit, release, charge, cancel, refund), so
 * a retry can never reserve or charge twice; the payment and product clients mark them.
 *
 * An open payment breaker makes a charge throw a DependencyError at once, which the
 * saga reads as an unknown outcome: the checkout answers 202 and the recovery worker
 * charges again once the breaker lets calls through.
 */
export function createUpstreamClients(
  config: OrderConfig,
  registry: Registry,
  logger: Logger,
): UpstreamClients {
  const breaker: BreakerOptions = upstreamBreakerOptions(config);
  const shared = { breaker, retry: true, registry, logger };
  const user = new ServiceClient({
    name: 'user',
    baseUrl: config.USER_SERVICE_URL,
    timeoutMs: 2_000,
    ...shared,
  });
  const product = new ServiceClient({
    name: 'product',
    baseUrl: config.PRODUCT_SERVICE_URL,
    timeoutMs: config.PRODUCT_TIMEOUT_MS,
    ...shared,
  });
  const payment = new ServiceClient({
    name: 'payment',
    baseUrl: config.PAYMENT_SERVICE_URL,
    timeoutMs: config.PAYMENT_TIMEOUT_MS,
    ...shared,
  });
  return {
    user,
    product,
    payment,
    close: async () => {
      await Promise.all([user.close(), product.close(), payment.close()]);
    },
  };
}
