import { Router } from 'express';
import { ValidationError } from '@surge/errors';
import {
  cancelPaymentRoute,
  chargePaymentRoute,
  refundPaymentRoute,
  type RouteAnswerBody,
} from '@surge/contracts';
import { allowCallers, validate } from '@surge/http-kit';
import { cancelPayment } from '../../domain/cancel-payment';
import { chargePayment } from '../../domain/charge-payment';
import type { PaymentDeps } from '../../domain/ports';
import { refundPayment } from '../../domain/refund-payment';

/**
 * `/internal/payments/*` (docs/internal-apis.md), called by the order service; requests
 * and answers are the contract in packages/contracts/src/internal/payment-api.ts. The
 * gateway never routes here, and every request carries a service token for `payment`
 * (requireServiceToken where this router is mounted); each route names the services
 * allowed to call it (docs/security.md).
 */
export function internalRoutes(deps: PaymentDeps): Router {
  const router = Router();

  router.post('/charge', allowCallers(...chargePaymentRoute.callers), async (req, res) => {
    const body = validate(chargePaymentRoute.body, req.body);
    const headers = validate(
      chargePaymentRoute.headers,
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
    const answer: RouteAnswerBody<typeof chargePaymentRoute, 201> = {
      id: payment.id,
      orderId: payment.orderId,
      // A 201 always reports the capture it answers, also on a replay after a refund.
      status: 'CAPTURED',
      amountCents: terms.amountCents,
      currency: terms.currency,
    };
    res.status(201).json(answer);
  });

  router.post('/cancel', allowCallers(...cancelPaymentRoute.callers), async (req, res) => {
    const { orderId } = validate(cancelPaymentRoute.body, req.body);
    const answer: RouteAnswerBody<typeof cancelPaymentRoute, 200> = await cancelPayment(deps, orderId);
    res.json(answer);
  });

  router.post('/refund', allowCallers(...refundPaymentRoute.callers), async (req, res) => {
    const { orderId } = validate(refundPaymentRoute.body, req.body);
    const answer: RouteAnswerBody<typeof refundPaymentRoute, 200> = await refundPayment(deps, orderId);
    res.json(answer);
  });

  return router;
}
