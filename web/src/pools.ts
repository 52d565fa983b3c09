import type { Pool } from "../../src/contracts/types.js";
import { plans, pools } from "./endpoints";
import { formatDate, SOURCE_WORDS, titleCase } from "./format";

/** A pool with the words to show for it: a name ("Premium 25") and where it came from and when. */
export interface NamedPool extends Pool {
  name: string;
  origin: string;
}

export function namePool(pool: Pool, planName: string | undefined): NamedPool {
  const type = titleCase(pool.license_type);
  const name = planName ?? (pool.source === "adjustment" ? `${type} (support grant)` : type);
  const verb = pool.source === "adjustment" ? "granted" : "purchased";
  const origin = `${SOURCE_WORDS[pool.source]}${planName ? ` · ${planName}` : ""} · ${verb} ${formatDate(pool.created_at)}`;
  return { ...pool, name, origin };
}

/** Pools, newest first, named after the plan they were bought as (from the purchase history). */
export async function loadNamedPools(): Promise<NamedPool[]> {
  const [poolList, purchaseList] = await Promise.all([pools.list(), plans.purchases()]);
  const planByPool = new Map(purchaseList.purchases.map((p) => [p.pool_id, p.plan_name]));
  return poolList.pools.map((p) => namePool(p, planByPool.get(p.id)));
}

/** "Premium 25 · 3 of 25 free" for pickers. */
export function poolChoiceLabel(pool: NamedPool): string {
  return `${pool.name} · ${pool.unallocated} of ${pool.total} free`;
}
