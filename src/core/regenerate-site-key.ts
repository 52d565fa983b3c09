import type { Client } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import type { ResellerContext } from "./context.js";
import { newSecret } from "./ids.js";
import { loadClient, lockClient, writeClient } from "./views.js";

/** Issues a new site key; the old one stops working at once (e.g. after a leak). The new key is shown once. */
export function regenerateSiteKey(db: Db, ctx: ResellerContext, clientId: string): Promise<{ client: Client; site_key: string }> {
  return db.transaction().execute(async (trx) => {
    await lockClient(trx, ctx.resellerId, clientId);
    const before = await loadClient(trx, ctx.resellerId, clientId);
    const key = newSecret("site");
    await writeClient(trx, ctx.resellerId, clientId, { site_key_hash: key.hash, site_key_prefix: key.prefix });
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "client.site_key_regenerated",
      subjectType: "client",
      subjectId: clientId,
      clientId,
      clientName: before.name,
      before: { site_key_prefix: before.site_key_prefix },
      after: { site_key_prefix: key.prefix },
    });
    return { client: await loadClient(trx, ctx.resellerId, clientId), site_key: key.plaintext };
  });
}
