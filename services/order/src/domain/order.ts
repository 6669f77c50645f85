/** The order aggregate as docs/api-contract.md shows it, plus the saga state kept beside it. */
export type OrderStatus = 'PENDING' | 'PAYMENT_PENDING' | 'PAID' | 'CANCELLED';
export type StockState = 'RESERVED' | 'COMMITTED' | 'RELEASED' | 'RETURNED';

export interface OrderLine {
  productId: string;
  quantity: number;
  priceCents: number;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  /** Only while the order may still be charged (PENDING, PAYMENT_PENDING); null once settled. */
  paymentToken: string | null;
  paymentId: string | null;
  cancelReason: string | null;
  stockState: StockState;
  paymentCancelPending: boolean;
  refundPending: boolean;
  paymentAttempts: number;
  paymentDeadline: Date;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Why an order was cancelled (`cancelReason`). */
export const CancelReason = {
  PaymentDeclined: 'PAYMENT_DECLINED',
  PaymentRejected: 'PAYMENT_REJECTED',
  PaymentTimeout: 'PAYMENT_TIMEOUT',
  CustomerCancelled: 'CUSTOMER_CANCELLED',
} as const;

/** What the API shows: never the payment token or the saga's bookkeeping. */
export interface OrderView {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  createdAt: string;
  updatedAt: string;
  cancelReason?: string;
}

export function toOrderView(order: Order): OrderView {
  const view: OrderView = {
    id: order.id,
    userId: order.userId,
    status: order.status,
    items: order.items,
    totalCents: order.totalCents,
    currency: order.currency,
    shippingAddress: order.shippingAddress,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
  if (order.cancelReason) view.cancelReason = order.cancelReason;
  return view;
}

export function totalOf(items: OrderLine[]): number {
  return items.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);
}
