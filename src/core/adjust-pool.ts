import type { Pool } from "../contracts/types.js";
import type { Db, DbOrTx } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { AppError, notFound } from "./app-error.js";
import type { SupportContext } from "./context.js";
import { lockPool, poolView } from "./views.js";

/** Support changes a pool's size in place, never below the slots in use, always with a reason. */
export function adjustPool(db: Db, ctx: SupportContext, poolId: string, total: number, reason: string): Promise<Pool> {
  return db.transaction().execute((trx) => adjustPoolInTransaction(trx, ctx, poolId, total, reason));
}

export async function adjustPoolInTransaction(
  trx: DbOrTx,
  ctx: SupportContext,
  poolId: string,
  total: number,
  reason: string,
): Promise<Pool> {
  const before = await lockPool(trx, poolId);
  if (!before) throw notFound("pool");
  if (before.total === total) return poolView(before); // no change, no audit row
  // Conditional write: a client allocated between the read above and this update still cannot be stranded.
  const after = await trx
    .updateTable("pools")
    .set({ total })
    .where("id", "=", poolId)
    .where("used", "<=", total)
    .returningAll()
    .executeTakeFirst();
  if (!after) {
    const used = (await trx.selectFrom("pools").select("used").where("id", "=", poolId).executeTakeFirstOrThrow()).used;
    throw new AppError(
      "pool_below_used",
      `The pool has ${used} slots in use; its size cannot go below that. Revoke licenses first.`,
      {
        field: "total",
        used,
        requested_total: total,
      },
    );
  }
  await recordActivity(trx, {
    resellerId: after.reseller_id,
    actor: ctx.actor,
    action: "pool.adjusted",
    subjectType: "pool",
    subjectId: poolId,
    poolId,
    before: { total: before.total, used: before.used },
    after: { total: after.total, used: after.used, reason },
  });
  return poolView(after);
}
