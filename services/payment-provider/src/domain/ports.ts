import type { Charge } from './charge';

/** What the use cases need from storage; data-access implements it with pg. */
export interface ChargeStore {
  /**
   * Inserts the charge unless its idempotency key exists, atomically (the key is the
   * primary key). Returns the stored charge and whether this call created it: of two
   * concurrent calls with one key, exactly one creates.
   */
  insertOrFind(charge: Charge): Promise<{ charge: Charge; created: boolean }>;
  findByKey(idempotencyKey: string): Promise<Charge | undefined>;
  findById(id: string): Promise<Charge | undefined>;
  /** Marks a captured charge refunded once; later calls return it unchanged. Undefined when not refundable. */
  markRefunded(id: string, refundId: string): Promise<Charge | undefined>;
}
