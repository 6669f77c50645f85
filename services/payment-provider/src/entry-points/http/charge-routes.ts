import { Router } from 'express';
import { createChargeRoute, getChargeRoute, refundChargeRoute, type RouteAnswerBody } from '@surge/contracts';
import { NotFoundError } from '@surge/errors';
import { markNothingCommitted, validate } from '@surge/http-kit';
import { toChargeAnswer, toChargeState, toRefundAnswer } from '../../domain/charge';
import { createCharge } from '../../domain/create-charge';
import type { ChargeStore } from '../../domain/ports';
import { refundCharge } from '../../domain/refund-charge';

/**
 * The processor's API (docs/internal-apis.md, "Provider simulator"), as its contract
 * (packages/contracts/src/internal/provider-api.ts) has it.
 */
export function chargeRoutes(deps: { charges: ChargeStore }): Router {
  const router = Router();

  router.post('/charges', async (req, res) => {
    const headers = validate(
      createChargeRoute.headers,
      { 'idempotency-key': req.header('idempotency-key') },
      'Idempotency-Key header',
    );
    const body = validate(createChargeRoute.body, req.body);
    const { charge, created } = await createCharge(deps, {
      idempotencyKey: headers['idempotency-key'],
      ...body,
    });
    // Drop-after-commit (development faults) loses a fresh capture's answer only: a retry
    // with the same key (a replay) gets its answer. Declines (402) are never dropped.
    if (!created) markNothingCommitted(res);
    const answer:
      RouteAnswerBody<typeof createChargeRoute, 201> | RouteAnswerBody<typeof createChargeRoute, 402> =
      toChargeAnswer(charge);
    res.status(answer.status === 'captured' ? 201 : 402).json(answer);
  });

  router.get('/charges/:idempotencyKey', async (req, res) => {
    const { idempotencyKey } = validate(getChargeRoute.params, req.params, 'idempotency key');
    const charge = await deps.charges.findByKey(idempotencyKey);
    if (!charge) throw new NotFoundError('Charge');
    const answer: RouteAnswerBody<typeof getChargeRoute, 200> = toChargeState(charge);
    res.json(answer);
  });

  router.post('/refunds', async (req, res) => {
    const body = validate(refundChargeRoute.body, req.body);
    const answer: RouteAnswerBody<typeof refundChargeRoute, 200> = toRefundAnswer(
      await refundCharge(deps, body.chargeId),
    );
    res.json(answer);
  });

  return router;
}
