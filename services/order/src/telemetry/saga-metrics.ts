import { Counter, type Registry } from 'prom-client';
import type { SagaMetrics } from '../domain/saga-telemetry';

/**
 * `checkout_outcomes_total{outcome}` and `order_recovery_actions_total{action}` on the
 * service's registry; the labels and what each means are in domain/saga-telemetry.ts.
 */
export function createSagaMetrics(registry: Registry): SagaMetrics {
  const outcomes = new Counter({
    name: 'checkout_outcomes_total',
    help: 'Checkout requests (POST /api/orders) by how they ended',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const actions = new Counter({
    name: 'order_recovery_actions_total',
    help: 'Work done by the order recovery worker, by action',
    labelNames: ['action'],
    registers: [registry],
  });
  return {
    checkoutEnded: (outcome) => outcomes.inc({ outcome }),
    recoveryAction: (action) => actions.inc({ action }),
  };
}
