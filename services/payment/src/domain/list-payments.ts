import type { Principal } from '@surge/auth';
import { publicStatus, type Payment } from './payment';
import type { PaymentStore } from './ports';

/** A payment as docs/api-contract.md shows it (GET /api/payments). */
export interface PaymentView {
  id: string;
  orderId: string;
  amountCents: number;
  currency: string;
  status: 'CAPTURED' | 'DECLINED' | 'REFUNDED';
  createdAt: string;
}

const LIMIT = 100;

/**
 * The caller's payments, newest first; an admin sees anyone's. Another user's order id
 * gives an empty list, not a 403, so order ids cannot be probed. Intents without an
 * outcome yet are not shown: nothing happened to the card.
 */
export async function listPayments(
  deps: { payments: PaymentStore },
  principal: Principal,
  filter: { orderId?: string },
): Promise<PaymentView[]> {
  const payments = await deps.payments.list({
    ...filter,
    ...(principal.role === 'admin' ? {} : { userId: principal.userId }),
    limit: LIMIT,
  });
  return payments.flatMap((payment) => {
    const view = toView(payment);
    return view ? [view] : [];
  });
}

function toView(payment: Payment): PaymentView | undefined {
  const status = publicStatus(payment);
  if (!status || !payment.terms) return undefined;
  return {
    id: payment.id,
    orderId: payment.orderId,
    amountCents: payment.terms.amountCents,
    currency: payment.terms.currency,
    status,
    createdAt: payment.createdAt.toISOString(),
  };
}
