import type { Principal } from '@surge/auth';
import { publicStatus, type Payment } from './payment';
import type { ListPosition, PaymentStore } from './ports';

/** A payment as docs/api-contract.md shows it (GET /api/payments). */
export interface PaymentView {
  id: string;
  orderId: string;
  amountCents: number;
  currency: string;
  status: 'CAPTURED' | 'DECLINED' | 'REFUNDED';
  createdAt: string;
}

/** One page, and where the next one starts (absent on the last page). */
export interface PaymentPage {
  items: PaymentView[];
  next?: ListPosition;
}

/**
 * One page of the caller's payments, newest first; an admin sees anyone's. Another
 * user's order id gives an empty list, not a 403, so order ids cannot be probed. Intents
 * without an outcome yet are not shown: nothing happened to the card.
 */
export async function listPayments(
  deps: { payments: PaymentStore },
  principal: Principal,
  query: { orderId?: string; limit: number; after?: ListPosition },
): Promise<PaymentPage> {
  // One more than the page: whether it exists says whether there is a next page.
  const rows = await deps.payments.list({
    ...query,
    ...(principal.role === 'admin' ? {} : { userId: principal.userId }),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const items = page.flatMap(({ payment }) => {
    const view = toView(payment);
    return view ? [view] : [];
  });
  return rows.length > query.limit && last ? { items, next: last.position } : { items };
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
