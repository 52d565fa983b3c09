import type { Client, License } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { AppError } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { newId, nowIso } from "./ids.js";
import { returnSlot, takeSlot } from "./pool-slots.js";
import { loadClient, lockClient } from "./views.js";

/**
 * Moves a client's license to a slot of another pool (usually another license type). All or nothing: the new slot
 * is taken first, so a full target pool aborts the transaction and the client keeps its old license.
 */
export function reissueLicense(
  db: Db,
  ctx: ResellerContext,
  clientId: string,
  targetPoolId: string,
): Promise<{ client: Client; license: License }> {
  return db.transaction().execute(async (trx) => {
    await lockClient(trx, ctx.resellerId, clientId);
    const before = await loadClient(trx, ctx.resellerId, clientId);
    if (!before.license)
      throw new AppError("client_not_licensed", "This client holds no license to reissue; allocate one instead.", {
        client_id: clientId,
      });
    if (before.license.pool_id === targetPoolId) {
      throw new AppError("same_pool", "The client's license already comes from this pool; pick another pool.", {
        field: "pool_id",
      });
    }
    const target = await takeSlot(trx, ctx.resellerId, targetPoolId);
    // Compare-and-delete on the old pool: if a concurrent revoke or reissue got there first, nothing matches.
    const removed = await trx
      .deleteFrom("licenses")
      .where("client_id", "=", clientId)
      .where("pool_id", "=", before.license.pool_id)
      .returning(["id"])
      .executeTakeFirst();
    if (!removed)
      throw new AppError("client_not_licensed", "The client's license changed meanwhile; reload and try again.", {
        client_id: clientId,
      });
    await returnSlot(trx, before.license.pool_id);
    const license: License = {
      client_id: clientId,
      pool_id: target.id,
      license_type: target.license_type,
      allocated_at: nowIso(),
    };
    await trx
      .insertInto("licenses")
      .values({
        id: newId("lic"),
        client_id: clientId,
        pool_id: target.id,
        reseller_id: ctx.resellerId,
        allocated_at: license.allocated_at,
      })
      .execute();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "license.reissued",
      subjectType: "client",
      subjectId: clientId,
      clientId,
      clientName: before.name,
      poolId: target.id,
      otherPoolId: before.license.pool_id,
      before: before.license,
      after: license,
    });
    return { client: await loadClient(trx, ctx.resellerId, clientId), license };
  });
}
