import type { PageQuery } from "../contracts/schemas.js";
import type { Pool, PoolHolder } from "../contracts/types.js";
import type { DbOrTx } from "../db/schema.js";
import { decodeCursor, pageOf } from "./pagination.js";
import { loadPool, poolView } from "./views.js";

export async function listPools(db: DbOrTx, resellerId: string): Promise<Pool[]> {
  const rows = await db.selectFrom("pools").selectAll().where("reseller_id", "=", resellerId).orderBy("id", "desc").execute();
  return rows.map(poolView);
}

/** A pool and a page of the clients holding its slots, most recently allocated first. */
export async function getPoolWithHolders(
  db: DbOrTx,
  resellerId: string,
  poolId: string,
  page: PageQuery,
): Promise<{ pool: Pool; clients: PoolHolder[]; next_cursor: string | null }> {
  const pool = await loadPool(db, resellerId, poolId);
  const after = decodeCursor(page.cursor, "lic");
  let q = db
    .selectFrom("licenses")
    .innerJoin("clients", "clients.id", "licenses.client_id")
    .select([
      "licenses.id as license_id",
      "clients.id",
      "clients.name",
      "clients.site_url",
      "clients.status",
      "licenses.allocated_at",
      "clients.last_check_in_at",
    ])
    .where("licenses.pool_id", "=", poolId)
    .orderBy("licenses.id", "desc")
    .limit(page.limit + 1);
  if (after) q = q.where("licenses.id", "<", after);
  const rows = pageOf(await q.execute(), page.limit, (r) => r.license_id);
  return {
    pool: poolView(pool),
    clients: rows.items.map(({ license_id: _l, ...holder }) => holder),
    next_cursor: rows.next_cursor,
  };
}
