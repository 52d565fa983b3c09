import type { ActivityQuery } from "../contracts/schemas.js";
import type { ActivityEntry } from "../contracts/types.js";
import type { DbOrTx } from "../db/schema.js";
import { decodeCursor, pageOf } from "./pagination.js";

export async function listActivity(
  db: DbOrTx,
  resellerId: string,
  query: ActivityQuery,
): Promise<{ items: ActivityEntry[]; next_cursor: string | null }> {
  const after = decodeCursor(query.cursor, "act");
  let q = db
    .selectFrom("activity")
    .selectAll()
    .where("reseller_id", "=", resellerId)
    .orderBy("id", "desc")
    .limit(query.limit + 1);
  if (after) q = q.where("id", "<", after);
  if (query.client_id) q = q.where("client_id", "=", query.client_id);
  const poolId = query.pool_id;
  if (poolId) q = q.where((eb) => eb.or([eb("pool_id", "=", poolId), eb("other_pool_id", "=", poolId)]));
  if (query.action) q = q.where("action", "=", query.action);
  const page = pageOf(await q.execute(), query.limit, (r) => r.id);
  return {
    items: page.items.map(({ before_json, after_json, reseller_id: _r, other_pool_id: _o, ...r }) => ({
      ...r,
      before: before_json === null ? null : JSON.parse(before_json),
      after: after_json === null ? null : JSON.parse(after_json),
    })),
    next_cursor: page.next_cursor,
  };
}
