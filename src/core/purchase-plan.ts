import type { Pool, Purchase } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { notFound } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { newId, nowIso } from "./ids.js";
import { poolView } from "./views.js";

/** A purchase records the order and provisions a new, independent pool at once (top-ups too: pools never merge). */
export function purchasePlan(db: Db, ctx: ResellerContext, planId: string): Promise<{ purchase: Purchase; pool: Pool }> {
  return db.transaction().execute(async (trx) => {
    const plan = await trx.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirst();
    if (!plan) throw notFound("plan");
    const now = nowIso();
    const pool = {
      id: newId("pool"),
      reseller_id: ctx.resellerId,
      license_type: plan.license_type,
      name: plan.name,
      total: plan.slots,
      used: 0,
      source: plan.kind === "top_up" ? ("top_up" as const) : ("plan" as const),
      created_at: now,
    };
    await trx.insertInto("pools").values(pool).execute();
    const purchase: Purchase = { id: newId("pur"), plan_id: plan.id, plan_name: plan.name, pool_id: pool.id, created_at: now };
    await trx
      .insertInto("purchases")
      .values({ id: purchase.id, reseller_id: ctx.resellerId, plan_id: plan.id, pool_id: pool.id, created_at: now })
      .execute();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "plan.purchased",
      subjectType: "pool",
      subjectId: pool.id,
      poolId: pool.id,
      before: null,
      after: {
        plan_id: plan.id,
        plan_name: plan.name,
        license_type: plan.license_type,
        total: plan.slots,
        purchase_id: purchase.id,
      },
    });
    return { purchase, pool: poolView(pool) };
  });
}
