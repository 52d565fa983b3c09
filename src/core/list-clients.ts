import { sql } from "kysely";
import type { ClientsQuery } from "../contracts/schemas.js";
import type { Client } from "../contracts/types.js";
import type { DbOrTx } from "../db/schema.js";
import { containsPattern } from "./like-pattern.js";
import { decodeCursor, pageOf } from "./pagination.js";
import { clientsWithLicense, clientView } from "./views.js";

/** Newest first; `q` matches name or site (case-insensitive), `licensed=false` lists clients a slot could go to. */
export async function listClients(
  db: DbOrTx,
  resellerId: string,
  query: ClientsQuery,
): Promise<{ items: Client[]; next_cursor: string | null }> {
  const after = decodeCursor(query.cursor, "cli");
  let q = clientsWithLicense(db)
    .where("clients.reseller_id", "=", resellerId)
    .orderBy("clients.id", "desc")
    .limit(query.limit + 1);
  if (after) q = q.where("clients.id", "<", after);
  if (query.status) q = q.where("clients.status", "=", query.status);
  if (query.licensed === "true") q = q.where("licenses.id", "is not", null);
  if (query.licensed === "false") q = q.where("licenses.id", "is", null);
  if (query.pool_id) q = q.where("licenses.pool_id", "=", query.pool_id);
  if (query.q) {
    // search_text is stored lower-cased; LIKE wildcards typed by the user are escaped, and SQLite needs an explicit ESCAPE.
    const pattern = containsPattern(query.q);
    q = q.where(sql<boolean>`clients.search_text like ${pattern} escape '\\'`);
  }
  const page = pageOf(await q.execute(), query.limit, (r) => r.id);
  return { items: page.items.map(clientView), next_cursor: page.next_cursor };
}
