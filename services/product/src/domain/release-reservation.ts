import type { CatalogCache, InventoryStore } from './ports';
import type { ReleaseOutcome } from './reservation';

/**
 * Compensation: RESERVED -> RELEASED (a cancelled checkout) or COMMITTED -> RETURNED (a
 * refunded order); the units go back to available stock. Idempotent, and safe for an
 * order that never reserved (NONE), so a saga can always call it.
 */
export async function releaseReservation(
  deps: { inventory: InventoryStore; cache: CatalogCache },
  orderId: string,
): Promise<{ orderId: string; status: ReleaseOutcome['status'] }> {
  const outcome = await deps.inventory.release(orderId);
  if (outcome.changed.length > 0) await deps.cache.putProducts(outcome.changed);
  return { orderId, status: outcome.status };
}
