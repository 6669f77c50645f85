import { Router } from 'express';
import { NotFoundError } from '@surge/errors';
import { markNothingCommitted, validate } from '@surge/http-kit';
import { toChargeAnswer, toChargeState, toRefundAnswer } from '../../domain/charge';
import { createCharge } from '../../domain/create-charge';
import type { ChargeStore } from '../../domain/ports';
import { refundCharge } from '../../domain/refund-charge';
import { chargeBody, idempotencyHeaders, idempotencyKey, refundBody } from './schemas';

/** The processor's API (docs/internal-apis.md, "Provider simulator"). */
export function chargeRoutes(deps: { charges: ChargeStore }): Router {
  const router = Router();

  router.post('/charges', async (req, res) => {
    const headers = validate(
      idempotencyHeaders,
      { 'idempotency-key': req.header('idempotency-key') },
      'Idempotency-Key header',
    );
    const body = validate(chargeBody, req.body);
    const { charge, created } = await createCharge(deps, {
      idempotencyKey: headers['idempotency-key'],
      ...body,
    });
    // Drop-after-commit (development faults) loses a fresh capture's answer only: a retry
    // with the same key (a replay) gets its answer. Declines (402) are never dropped.
    if (!created) markNothingCommitted(res);
    res.status(charge.outcome === 'captured' ? 201 : 402).json(toChargeAnswer(charge));
  });

  router.get('/charges/:idempotencyKey', async (req, res) => {
    const key = validate(idempotencyKey, req.params.idempotencyKey, 'idempotency key');
    const charge = await deps.charges.findByKey(key);
    if (!charge) throw new NotFoundError('Charge');
    res.json(toChargeState(charge));
  });

  router.post('/refunds', async (req, res) => {
    const body = validate(refundBody, req.body);
    res.json(toRefundAnswer(await refundCharge(deps, body.chargeId)));
  });

  return router;
}
