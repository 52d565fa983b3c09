import type { Client, Pool } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import type { ResellerContext } from "./context.js";
import { returnSlot } from "./pool-slots.js";
import { loadClient, lockClient, poolView } from "./views.js";

/** Deletes a client; its slot (if any) returns to its pool in the same transaction. The audit trail keeps its history. */
export function offboardClient(db: Db, ctx: ResellerContext, clientId: string): Promise<{ client: Client; pool: Pool | null }> {
  return db.transaction().execute(async (trx) => {
    await lockClient(trx, ctx.resellerId, clientId);
    const client = await loadClient(trx, ctx.resellerId, clientId);
    const removed = await trx.deleteFrom("licenses").where("client_id", "=", clientId).returning(["pool_id"]).executeTakeFirst();
    const pool = removed ? await returnSlot(trx, removed.pool_id) : null;
    await trx.deleteFrom("clients").where("id", "=", clientId).where("reseller_id", "=", ctx.resellerId).execute();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "client.deleted",
      subjectType: "client",
      subjectId: clientId,
      clientId,
      clientName: client.name,
      poolId: pool?.id ?? null,
      before: { name: client.name, site_url: client.site_url, status: client.status, license: client.license },
      after: null,
    });
    return { client, pool: pool ? poolView(pool) : null };
  });
}
