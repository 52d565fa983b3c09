import type { PageQuery } from "../contracts/schemas.js";
import type { Purchase } from "../contracts/types.js";
import type { DbOrTx } from "../db/schema.js";
import { decodeCursor, pageOf } from "./pagination.js";

export async function listPurchases(
  db: DbOrTx,
  resellerId: string,
  page: PageQuery,
): Promise<{ items: Purchase[]; next_cursor: string | null }> {
  const after = decodeCursor(page.cursor, "pur");
  let q = db
    .selectFrom("purchases")
    .innerJoin("plans", "plans.id", "purchases.plan_id")
    .select(["purchases.id", "purchases.plan_id", "plans.name as plan_name", "purchases.pool_id", "purchases.created_at"])
    .where("purchases.reseller_id", "=", resellerId)
    .orderBy("purchases.id", "desc")
    .limit(page.limit + 1);
  if (after) q = q.where("purchases.id", "<", after);
  return pageOf(await q.execute(), page.limit, (r) => r.id);
}
