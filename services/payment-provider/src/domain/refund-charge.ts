import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@surge/errors';
import type { Charge } from './charge';
import type { ChargeStore } from './ports';

/**
 * Refunds a captured charge in full, once: the first call records a refund id, every
 * later call answers that same refund. A declined charge took no money: 409.
 */
export async function refundCharge(deps: { charges: ChargeStore }, chargeId: string): Promise<Charge> {
  const refunded = await deps.charges.markRefunded(chargeId, randomUUID());
  if (refunded) return refunded;
  const charge = await deps.charges.findById(chargeId);
  if (!charge) throw new NotFoundError('Charge');
  throw new ConflictError('CONFLICT', 'Only a captured charge can be refunded', {
    details: { chargeId, chargeStatus: charge.outcome },
  });
}
