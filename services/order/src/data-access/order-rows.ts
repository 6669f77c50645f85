import type { Order, OrderLine, ShippingAddress, StockState } from '../domain/order';

export interface OrderRow {
  id: string;
  user_id: string;
  status: Order['status'];
  items: OrderLine[];
  total_cents: string;
  currency: string;
  shipping_address: ShippingAddress;
  payment_token: string | null;
  payment_id: string | null;
  cancel_reason: string | null;
  stock_state: StockState;
  payment_cancel_pending: boolean;
  refund_pending: boolean;
  payment_attempts: number;
  payment_deadline: Date;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const ORDER_COLUMNS = `id, user_id, status, items, total_cents, currency, shipping_address, payment_token, payment_id,
  cancel_reason, stock_state, payment_cancel_pending, refund_pending, payment_attempts, payment_deadline, version,
  created_at, updated_at`;

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    items: row.items,
    totalCents: Number(row.total_cents),
    currency: row.currency,
    shippingAddress: row.shipping_address,
    paymentToken: row.payment_token,
    paymentId: row.payment_id,
    cancelReason: row.cancel_reason,
    stockState: row.stock_state,
    paymentCancelPending: row.payment_cancel_pending,
    refundPending: row.refund_pending,
    paymentAttempts: row.payment_attempts,
    paymentDeadline: row.payment_deadline,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
