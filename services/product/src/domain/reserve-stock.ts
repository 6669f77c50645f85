import { AppError, ConflictError } from '@surge/errors';
import type { CatalogCache, InventoryStore } from './ports';
import { mergeLines, type Reservation, type ReservationLineRequest } from './reservation';

/**
 * POST /internal/reservations: every line of an order, or none. The repository does
 * the stock arithmetic in one transaction (see inventory-repository.ts for which step
 * protects which invariant); this maps its outcome to the contract's answers. A repeat
 * for the same order id returns the stored reservation, in whatever status it now has.
 */
export async function reserveStock(
  deps: { inventory: InventoryStore; cache: CatalogCache },
  input: { orderId: string; items: readonly ReservationLineRequest[] },
): Promise<Reservation> {
  const outcome = await deps.inventory.reserve(input.orderId, mergeLines(input.items));
  switch (outcome.kind) {
    case 'unknown-products':
      throw new AppError('NOT_FOUND', 'Some products do not exist; nothing was reserved', {
        details: { productIds: outcome.productIds },
      });
    case 'insufficient-stock':
      throw new ConflictError(
        'INSUFFICIENT_STOCK',
        'Some products are short of stock; nothing was reserved',
        {
          details: { productIds: outcome.productIds },
        },
      );
    case 'currency-mismatch':
      throw new ConflictError(
        'CURRENCY_MISMATCH',
        'The products are priced in more than one currency; an order holds one; nothing was reserved',
        { details: { currencies: outcome.currencies, productIds: Object.keys(outcome.currencies) } },
      );
    case 'existing':
      return outcome.reservation;
    case 'reserved':
      // Stock is part of the public product: refresh the cached copies (lists hold ids only).
      await deps.cache.putProducts(outcome.changed);
      return outcome.reservation;
  }
}
