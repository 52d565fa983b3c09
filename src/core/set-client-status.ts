import type { Client, ClientStatus } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import type { ResellerContext } from "./context.js";
import { loadClient, lockClient, writeClient } from "./views.js";

/**
 * Suspend (a short pause: the license stays allocated, pool counts do not change, the plugin is told "suspended")
 * or resume. Idempotent: asking for the status a client already has changes nothing and logs nothing.
 */
export function setClientStatus(db: Db, ctx: ResellerContext, clientId: string, status: ClientStatus): Promise<Client> {
  return db.transaction().execute(async (trx) => {
    await lockClient(trx, ctx.resellerId, clientId);
    const before = await loadClient(trx, ctx.resellerId, clientId);
    if (before.status === status) return before;
    await writeClient(trx, ctx.resellerId, clientId, { status });
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: status === "suspended" ? "client.suspended" : "client.resumed",
      subjectType: "client",
      subjectId: clientId,
      clientId,
      clientName: before.name,
      poolId: before.license?.pool_id ?? null,
      before: { status: before.status },
      after: { status },
    });
    return loadClient(trx, ctx.resellerId, clientId);
  });
}

export const suspendClient = (db: Db, ctx: ResellerContext, clientId: string) => setClientStatus(db, ctx, clientId, "suspended");
export const resumeClient = (db: Db, ctx: ResellerContext, clientId: string) => setClientStatus(db, ctx, clientId, "active");
