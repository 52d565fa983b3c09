import type { Client, Pool } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { AppError } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { returnSlot } from "./pool-slots.js";
import { loadClient, lockClient, poolView } from "./views.js";

/** Takes the client's license away; the slot is back in its pool when the transaction commits. */
export function revokeLicense(db: Db, ctx: ResellerContext, clientId: string): Promise<{ client: Client; pool: Pool }> {
  return db.transaction().execute(async (trx) => {
    await lockClient(trx, ctx.resellerId, clientId);
    const before = await loadClient(trx, ctx.resellerId, clientId);
    // Deleting (not reading then deleting) makes two racing revokes return the slot once, not twice.
    const removed = await trx.deleteFrom("licenses").where("client_id", "=", clientId).returning(["pool_id"]).executeTakeFirst();
    if (!removed) throw new AppError("client_not_licensed", "This client holds no license.", { client_id: clientId });
    const pool = await returnSlot(trx, removed.pool_id);
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "license.revoked",
      subjectType: "client",
      subjectId: clientId,
      clientId,
      clientName: before.name,
      poolId: pool.id,
      before: before.license,
      after: null,
    });
    return { client: await loadClient(trx, ctx.resellerId, clientId), pool: poolView(pool) };
  });
}
