import type { Selectable } from "kysely";
import type { ApiKey } from "../contracts/types.js";
import type { ApiKeysTable, DbOrTx } from "../db/schema.js";

/** Row -> API shape: the prefix and last use, never the hash. */
export function apiKeyView(k: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scope: k.scope,
    created_at: k.created_at,
    created_by: k.created_by,
    last_used_at: k.last_used_at,
    revoked_at: k.revoked_at,
  };
}

/** The reseller's active API keys, newest first (revoked keys live on in the activity log). */
export async function listApiKeys(db: DbOrTx, resellerId: string): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom("api_keys")
    .selectAll()
    .where("reseller_id", "=", resellerId)
    .where("revoked_at", "is", null)
    .orderBy("id", "desc")
    .execute();
  return rows.map(apiKeyView);
}
