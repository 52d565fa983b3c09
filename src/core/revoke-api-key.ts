import type { ApiKey } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { notFound } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { nowIso } from "./ids.js";
import { apiKeyView } from "./list-api-keys.js";

/**
 * Revokes one of the reseller's keys: the very next request with it is refused (authentication reads `api_keys`
 * on every request). Another reseller's key, or one already revoked, is not found.
 */
export function revokeApiKey(db: Db, ctx: ResellerContext, keyId: string): Promise<{ key: ApiKey }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("api_keys")
      .set({ revoked_at: nowIso(), revoked_by: ctx.actor })
      .where("id", "=", keyId)
      .where("reseller_id", "=", ctx.resellerId)
      .where("revoked_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound("API key");
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "api_key.revoked",
      subjectType: "api_key",
      subjectId: row.id,
      before: { name: row.name, prefix: row.prefix, scope: row.scope },
    });
    return { key: apiKeyView(row) };
  });
}
