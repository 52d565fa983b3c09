import type { Pool } from "../../src/contracts/types.js";
import { pools } from "./endpoints";
import { formatDate, SOURCE_WORDS, titleCase } from "./format";

/** How one pool is named on screen. */
export interface PoolNames {
  /** Tells the pool apart from every other pool of the reseller: "Premium 5 #2", "Premium 5 (resized to 8)". */
  label: string;
  /** The same, without the license type a card's title already shows: "Support grant #2" instead of "Premium support grant #2". */
  badge: string;
}

type Named = Pick<Pool, "id" | "name" | "license_type" | "source" | "total" | "created_at">;

/** The slot count a plan's name promises ("Premium 5" -> 5, "Premium top-up +5" -> 5), if it has one. */
function nameSize(name: string): number | null {
  const m = /(\d+)\s*$/.exec(name);
  return m ? Number(m[1]) : null;
}

const groupKey = (p: Named) => (p.source === "adjustment" ? `grant:${p.license_type}` : `plan:${p.name}`);

/**
 * Names for every pool in `all` (one reseller's pools). The server names a pool after the plan it was bought as, so
 * two purchases of one plan share a name: those get an ordinal in purchase order ("Premium 5 #2"). Support grants are
 * all called "Support grant", so their license type is added. A pool support resized keeps its plan's name; where the
 * name's number no longer matches its size, the real size is added so the name does not imply the old one.
 */
export function poolNames(all: readonly Named[]): Map<string, PoolNames> {
  const groups = new Map<string, Named[]>();
  for (const p of all) groups.set(groupKey(p), [...(groups.get(groupKey(p)) ?? []), p]);
  const out = new Map<string, PoolNames>();
  for (const group of groups.values()) {
    const ordered = [...group].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    ordered.forEach((p, i) => {
      const ordinal = ordered.length > 1 ? ` #${i + 1}` : "";
      const size = p.source === "adjustment" ? null : nameSize(p.name);
      const resized = size !== null && size !== p.total ? ` (resized to ${p.total})` : "";
      const base = p.source === "adjustment" ? `${titleCase(p.license_type)} support grant` : p.name;
      out.set(p.id, { label: `${base}${ordinal}${resized}`, badge: `${p.name}${ordinal}${resized}` });
    });
  }
  return out;
}

/** One pool's label among its siblings (the reseller's other pools); `all` need not contain `pool` itself. */
export function poolLabel(pool: Named, all: readonly Named[]): string {
  const list = all.some((p) => p.id === pool.id) ? all : [...all, pool];
  return poolNames(list).get(pool.id)?.label ?? pool.name;
}

/** Where a pool came from and when: "Plan purchase · Dec 3, 2026". */
export function poolOrigin(pool: Pool): string {
  return `${SOURCE_WORDS[pool.source]} · ${formatDate(pool.created_at)}`;
}

/** "bought Dec 3, 2026" / "granted Dec 3, 2026": the short form a picker shows under a pool's name. */
export function poolAcquired(pool: Pool): string {
  return `${pool.source === "adjustment" ? "granted" : "bought"} ${formatDate(pool.created_at)}`;
}

/** The reseller's pools, newest first, each carrying its own name. */
export const loadPools = (): Promise<Pool[]> => pools.list().then((r) => r.pools);

/** Replaces one pool in a list with a newer copy of it (e.g. the counts an allocation or revoke answered with). */
export function replacePool(list: Pool[] | null, pool: Pool): Pool[] | null {
  return list ? list.map((p) => (p.id === pool.id ? pool : p)) : list;
}

/** Pools grouped by license type, types in the order they first appear. */
export function byLicenseType<T extends Pick<Pool, "license_type">>(list: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const p of list) groups.set(p.license_type, [...(groups.get(p.license_type) ?? []), p]);
  return [...groups.entries()];
}
