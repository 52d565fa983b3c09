import type { Plan } from "../contracts/types.js";
import type { Db, DbOrTx } from "../db/schema.js";

/** The catalog seeded on first start. Ids are stable so scripts can name plans. Prices are list prices in cents. */
const SEED_PLANS: Plan[] = [
  { id: "plan_premium_5", name: "Premium 5", license_type: "premium", slots: 5, kind: "plan", price_cents: 24500 },
  { id: "plan_premium_25", name: "Premium 25", license_type: "premium", slots: 25, kind: "plan", price_cents: 99500 },
  { id: "plan_premium_100", name: "Premium 100", license_type: "premium", slots: 100, kind: "plan", price_cents: 299500 },
  { id: "plan_business_10", name: "Business 10", license_type: "business", slots: 10, kind: "plan", price_cents: 79000 },
  { id: "plan_business_50", name: "Business 50", license_type: "business", slots: 50, kind: "plan", price_cents: 299000 },
  { id: "topup_premium_5", name: "Premium top-up +5", license_type: "premium", slots: 5, kind: "top_up", price_cents: 22500 },
];

/** Inserts the plans that are missing; never touches existing ones, so re-running on every start is safe. */
export async function seedCatalog(db: Db): Promise<void> {
  const existing = new Set((await db.selectFrom("plans").select("id").execute()).map((p) => p.id));
  const missing = SEED_PLANS.map((p, i) => ({ ...p, sort_order: i })).filter((p) => !existing.has(p.id));
  if (missing.length) await db.insertInto("plans").values(missing).execute();
}

export async function listPlans(db: DbOrTx): Promise<Plan[]> {
  return db
    .selectFrom("plans")
    .select(["id", "name", "license_type", "slots", "kind", "price_cents"])
    .orderBy("sort_order")
    .execute();
}
