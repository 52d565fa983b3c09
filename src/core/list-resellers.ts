import { sql } from "kysely";
import type { PageQuery } from "../contracts/schemas.js";
import type { Pool, Reseller } from "../contracts/types.js";
import type { DbOrTx } from "../db/schema.js";
import { containsPattern } from "./like-pattern.js";
import { decodeCursor, pageOf } from "./pagination.js";
import { poolView } from "./views.js";

export type ResellerOverview = Reseller & { pools: Pool[]; client_count: number };

/** Support's view: resellers newest first, each with its pools and client count (two batched reads per page). */
export async function listResellers(
  db: DbOrTx,
  page: PageQuery & { q?: string },
): Promise<{ items: ResellerOverview[]; next_cursor: string | null }> {
  const after = decodeCursor(page.cursor, "res");
  let q = db
    .selectFrom("resellers")
    .select(["id", "name", "email", "created_at"])
    .orderBy("id", "desc")
    .limit(page.limit + 1);
  if (after) q = q.where("id", "<", after);
  if (page.q) {
    const pattern = containsPattern(page.q);
    q = q.where(sql<boolean>`search_text like ${pattern} escape '\\'`);
  }
  const { items, next_cursor } = pageOf(await q.execute(), page.limit, (r) => r.id);
  const ids = items.map((r) => r.id);
  if (ids.length === 0) return { items: [], next_cursor };
  const pools = await db.selectFrom("pools").selectAll().where("reseller_id", "in", ids).orderBy("id", "desc").execute();
  const counts = await db
    .selectFrom("clients")
    .select(["reseller_id", (eb) => eb.fn.countAll().as("n")])
    .where("reseller_id", "in", ids)
    .groupBy("reseller_id")
    .execute();
  // Each reseller's primary key (its oldest active read-write one), as GET /me shows it to a dashboard session.
  const keys = await db
    .selectFrom("api_keys")
    .select(["reseller_id", "prefix"])
    .where("reseller_id", "in", ids)
    .where("scope", "=", "read_write")
    .where("revoked_at", "is", null)
    .orderBy("id", "asc")
    .execute();
  return {
    items: items.map((r) => ({
      ...r,
      api_key_prefix: keys.find((k) => k.reseller_id === r.id)?.prefix ?? null,
      pools: pools.filter((p) => p.reseller_id === r.id).map(poolView),
      // PostgreSQL returns count(*) as a bigint string; SQLite as a number.
      client_count: Number(counts.find((c) => c.reseller_id === r.id)?.n ?? 0),
    })),
    next_cursor,
  };
}
