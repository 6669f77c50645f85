import type { Response } from 'express';
import { AppError, ConflictError, NotFoundError, ValidationError } from '@surge/errors';
import type { CheckoutOutcome } from '../../domain/checkout-outcome';

/**
 * The one table from a checkout's outcome to its HTTP answer (docs/api-contract.md,
 * POST /api/orders). Replays go through it too, so they answer the same status.
 */
export function sendCheckoutAnswer(res: Response, outcome: CheckoutOutcome): void {
  switch (outcome.kind) {
    case 'paid':
      res.status(201).location(`/api/orders/${outcome.order.id}`).json(outcome.order);
      return;
    case 'payment-pending':
      res.status(202).location(`/api/orders/${outcome.order.id}`).json(outcome.order);
      return;
    case 'cancelled':
      res.status(200).location(`/api/orders/${outcome.order.id}`).json(outcome.order);
      return;
    case 'declined':
      throw new AppError(
        'PAYMENT_DECLINED',
        'The payment was declined; nothing was charged and the order is cancelled',
        {
          details: { orderId: outcome.orderId },
        },
      );
    case 'rejected':
      throw new ValidationError(
        `The payment was rejected: ${outcome.detail}`,
        [{ path: 'payment.token', message: outcome.detail }],
        {
          details: { orderId: outcome.orderId },
        },
      );
    case 'insufficient-stock':
      throw new AppError('INSUFFICIENT_STOCK', 'Not enough stock; nothing was reserved or charged', {
        details: { productIds: outcome.productIds },
      });
    case 'currency-mismatch':
      throw new ConflictError(
        'CURRENCY_MISMATCH',
        'The products are priced in more than one currency; an order holds one; nothing was reserved or charged',
        { details: { currencies: outcome.currencies, productIds: Object.keys(outcome.currencies) } },
      );
    case 'unknown-products':
      throw new NotFoundError('Product', { details: { productIds: outcome.productIds } });
  }
}
