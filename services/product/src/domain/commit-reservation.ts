import { ConflictError, NotFoundError } from '@surge/errors';
import type { InventoryStore } from './ports';

/**
 * RESERVED -> COMMITTED: the order is paid, its reserved units become sold. Idempotent;
 * a released or returned reservation cannot be committed (409). Available stock does
 * not change, so neither does the public product: no event, no cache write.
 */
export async function commitReservation(
  deps: { inventory: InventoryStore },
  orderId: string,
): Promise<{ orderId: string; status: 'COMMITTED' }> {
  const outcome = await deps.inventory.commit(orderId);
  if (outcome.kind === 'not-found') throw new NotFoundError('Reservation');
  if (outcome.kind === 'conflict') {
    throw new ConflictError('CONFLICT', `The reservation is ${outcome.status} and cannot be committed`, {
      // Not `status`: a problem's `status` member is the HTTP status (RFC 9457).
      details: { reservationStatus: outcome.status },
    });
  }
  return { orderId, status: 'COMMITTED' };
}
