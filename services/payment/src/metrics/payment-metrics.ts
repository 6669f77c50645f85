import { Counter, type Registry } from 'prom-client';
import type { PaymentMetrics, PaymentOutcome } from '../domain/ports';

const OUTCOMES: PaymentOutcome[] = ['captured', 'declined', 'pending', 'refunded'];

export interface RegistrablePaymentMetrics extends PaymentMetrics {
  /** Adds the counter to the registry /metrics serves (the kit's, known once the app exists). */
  registerOn(registry: Registry): void;
}

/**
 * `payments_total{outcome}`: captured, declined and refunded count committed changes
 * (not replays); pending counts charge calls that ended without a definite answer.
 */
export function createPaymentMetrics(): RegistrablePaymentMetrics {
  const payments = new Counter({
    name: 'payments_total',
    help: 'Payment outcomes: committed captures, declines and refunds, and charges left pending',
    labelNames: ['outcome'],
    registers: [],
  });
  // Every outcome is exported from the start, so rate() works before the first one happens.
  for (const outcome of OUTCOMES) payments.inc({ outcome }, 0);
  return {
    count: (outcome) => payments.inc({ outcome }),
    registerOn: (registry) => registry.registerMetric(payments),
  };
}
