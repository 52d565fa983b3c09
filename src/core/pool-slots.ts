import { POOL_FULL_WAYS_OUT } from "../contracts/errors.js";
import type { DbOrTx, PoolRow } from "../db/schema.js";
import { AppError } from "./app-error.js";
import { loadPool } from "./views.js";

/**
 * Takes one slot with a single conditional write, so two racing requests can never both take the last slot:
 * the database applies `used < total` and the increment atomically (and a CHECK constraint backs it up).
 */
export async function takeSlot(trx: DbOrTx, resellerId: string, poolId: string): Promise<PoolRow> {
  const pool = await trx
    .updateTable("pools")
    .set((eb) => ({ used: eb("used", "+", 1) }))
    .where("id", "=", poolId)
    .where("reseller_id", "=", resellerId)
    .whereRef("used", "<", "total")
    .returningAll()
    .executeTakeFirst();
  if (pool) return pool;
  const full = await loadPool(trx, resellerId, poolId); // throws not_found for a missing or foreign pool
  throw poolFull(full);
}

export async function returnSlot(trx: DbOrTx, poolId: string): Promise<PoolRow> {
  const pool = await trx
    .updateTable("pools")
    .set((eb) => ({ used: eb("used", "-", 1) }))
    .where("id", "=", poolId)
    .where("used", ">", 0)
    .returningAll()
    .executeTakeFirst();
  if (!pool) throw new Error(`pool ${poolId} had no used slot to return: invariant broken`);
  return pool;
}

export function poolFull(pool: PoolRow): AppError {
  return new AppError(
    "pool_full",
    `The ${pool.license_type} pool is full: all ${pool.total} slots are allocated. Revoke a churned client's license, purchase another plan, or ask support to change the pool's size.`,
    { pool_id: pool.id, license_type: pool.license_type, total: pool.total, used: pool.used, ways_out: POOL_FULL_WAYS_OUT },
  );
}
