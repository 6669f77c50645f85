import { DependencyError } from '@surge/errors';
import type { ServiceCaller } from '@surge/http-client';
import type { ChargeOutcome, Payments } from '../domain/ports';

/**
 * The payment service's internal API (docs/internal-apis.md). A charge answer other
 * than captured, declined, rejected or cancelled (timeouts, 5xx, refused connections)
 * is `unknown`: the charge may have happened, and the saga retries it with the same key.
 * An open breaker is one of those: it throws a DependencyError without calling.
 *
 * Every call is idempotent by order id, so the client may retry each one.
 */
export function createPaymentClient(client: ServiceCaller): Payments {
  return {
    async charge(input): Promise<ChargeOutcome> {
      try {
        const res = await client.call<{ id?: string; detail?: string; code?: string }>({
          method: 'POST',
          path: '/internal/payments/charge',
          headers: { 'idempotency-key': input.orderId },
          body: input,
          idempotent: true, // the payment service and the provider dedupe on the key
        });
        if (res.status === 201 || res.status === 200)
          return { kind: 'captured', paymentId: String(res.body.id) };
        if (res.status === 402) return { kind: 'declined' };
        if (res.status === 400)
          return { kind: 'rejected', detail: res.body.detail ?? 'the payment was rejected' };
        if (res.status === 409) return { kind: 'cancelled' };
        return { kind: 'unknown', reason: `payment answered ${res.status}` };
      } catch (error) {
        if (error instanceof DependencyError) return { kind: 'unknown', reason: error.message };
        throw error;
      }
    },

    async cancel(orderId) {
      const res = await client.call({
        method: 'POST',
        path: '/internal/payments/cancel',
        body: { orderId },
        idempotent: true,
      });
      if (res.status !== 200) throw new DependencyError('payment', `payment cancel answered ${res.status}`);
    },

    async refund(orderId) {
      const res = await client.call({
        method: 'POST',
        path: '/internal/payments/refund',
        body: { orderId },
        idempotent: true,
      });
      if (res.status !== 200) throw new DependencyError('payment', `payment refund answered ${res.status}`);
    },
  };
}
