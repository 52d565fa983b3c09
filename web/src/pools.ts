import type { Pool } from "../../src/contracts/types.js";
import { pools } from "./endpoints";
import { formatDate, SOURCE_WORDS, titleCase } from "./format";

/**
 * A pool in words. The server names each pool after the plan it was bought as ("Premium 25", "Premium top-up +5");
 * support grants are all called "Support grant", so their license type is added to tell them apart.
 */
export function poolLabel(pool: Pick<Pool, "name" | "license_type" | "source">): string {
  return pool.source === "adjustment" ? `${titleCase(pool.license_type)} (${pool.name})` : pool.name;
}

/** Where a pool came from and when: "Plan purchase · Premium 5 · purchased Dec 3, 2026". */
export function poolOrigin(pool: Pool): string {
  if (pool.source === "adjustment") return `${SOURCE_WORDS.adjustment} · granted ${formatDate(pool.created_at)}`;
  return `${SOURCE_WORDS[pool.source]} · ${pool.name} · purchased ${formatDate(pool.created_at)}`;
}

/** The reseller's pools, newest first, each carrying its own name. */
export const loadPools = (): Promise<Pool[]> => pools.list().then((r) => r.pools);

/** Replaces one pool in a list with a newer copy of it (e.g. the counts an allocation or revoke answered with). */
export function replacePool(list: Pool[] | null, pool: Pool): Pool[] | null {
  return list ? list.map((p) => (p.id === pool.id ? pool : p)) : list;
}
