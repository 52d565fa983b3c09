import type { Pool } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { notFound } from "./app-error.js";
import type { SupportContext } from "./context.js";
import { newId, nowIso } from "./ids.js";
import { poolView } from "./views.js";

/** Support provisions a new pool outside the catalog (goodwill, migration): its source is `adjustment`. */
export function grantPool(
  db: Db,
  ctx: SupportContext,
  resellerId: string,
  licenseType: string,
  total: number,
  reason: string,
): Promise<Pool> {
  return db.transaction().execute(async (trx) => {
    const reseller = await trx.selectFrom("resellers").select("id").where("id", "=", resellerId).executeTakeFirst();
    if (!reseller) throw notFound("reseller");
    const pool = {
      id: newId("pool"),
      reseller_id: resellerId,
      license_type: licenseType,
      name: "Support grant",
      total,
      used: 0,
      source: "adjustment" as const,
      created_at: nowIso(),
    };
    await trx.insertInto("pools").values(pool).execute();
    await recordActivity(trx, {
      resellerId,
      actor: ctx.actor,
      action: "pool.granted",
      subjectType: "pool",
      subjectId: pool.id,
      poolId: pool.id,
      before: null,
      after: { license_type: licenseType, total, reason },
    });
    return poolView(pool);
  });
}
