import { Router } from 'express';
import { ValidationError } from '@surge/errors';
import { allowCallers, validate } from '@surge/http-kit';
import { cancelPayment } from '../../domain/cancel-payment';
import { chargePayment } from '../../domain/charge-payment';
import type { PaymentDeps } from '../../domain/ports';
import { refundPayment } from '../../domain/refund-payment';
import { chargeBody, idempotencyHeaders, orderBody } from './schemas';

/**
 * `/internal/payments/*` (docs/internal-apis.md), called by the order service. The
 * gateway never routes here, and every request carries a service token for `payment`
 * (requireServiceToken where this router is mounted); each route names the services
 * allowed to call it (docs/security.md).
 */
export function internalRoutes(deps: PaymentDeps): Router {
  const router = Router();

  router.post('/charge', allowCallers('order'), async (req, res) => {
    const body = validate(chargeBody, req.body);
    const headers = validate(
      idempotencyHeaders,
      { 'idempotency-key': req.header('idempotency-key') },
      'Idempotency-Key header',
    );
    if (headers['idempotency-key'] !== body.orderId) {
      throw new ValidationError('The Idempotency-Key must be the order id', [
        { path: 'idempotency-key', message: 'must equal orderId' },
      ]);
    }
    const payment = await chargePayment(deps, body);
    // A captured payment always has the terms it was charged with (checked equal to the body).
    const terms = payment.terms ?? body;
    res.status(201).json({
      id: payment.id,
      orderId: payment.orderId,
      // A 201 always reports the capture it answers, also on a replay after a refund.
      status: 'CAPTURED',
      amountCents: terms.amountCents,
      currency: terms.currency,
    });
  });

  router.post('/cancel', allowCallers('order'), async (req, res) => {
    const { orderId } = validate(orderBody, req.body);
    res.json(await cancelPayment(deps, orderId));
  });

  router.post('/refund', allowCallers('order'), async (req, res) => {
    const { orderId } = validate(orderBody, req.body);
    res.json(await refundPayment(deps, orderId));
  });

  return router;
}
