import type { ApiKey, Reseller } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { getReseller, primaryApiKey } from "./accounts.js";
import { recordActivity } from "./activity.js";
import { AppError, notFound } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { newSecret } from "./ids.js";
import { apiKeyView } from "./list-api-keys.js";

/**
 * Gives a key a new secret in place (after a leak, or routinely): same id, name and scope; the old secret stops
 * working at once and the new one is shown once. Which key: `keyId` when an owner picks one in the dashboard; else the
 * key the request came with (scripts calling POST /api-key/rotate); else, for a dashboard session, the primary key.
 */
export function rotateApiKey(
  db: Db,
  ctx: ResellerContext,
  keyId?: string,
): Promise<{ reseller: Reseller; api_key: string; key: ApiKey }> {
  return db.transaction().execute(async (trx) => {
    const ownKey = keyId === undefined && ctx.apiKeyId !== undefined;
    const targetId = keyId ?? ctx.apiKeyId ?? (await primaryApiKey(trx, ctx.resellerId))?.id;
    const before = targetId
      ? await trx
          .selectFrom("api_keys")
          .select(["id", "prefix"])
          .where("id", "=", targetId)
          .where("reseller_id", "=", ctx.resellerId)
          .where("revoked_at", "is", null)
          .executeTakeFirst()
      : undefined;
    if (!before) {
      if (ownKey) throw new AppError("unauthorized", "This API key was just revoked.");
      throw notFound("API key");
    }
    const secret = newSecret("live");
    // Compare-and-set on the secret the request came with: of two racing rotations with one (possibly leaked) key,
    // only the first succeeds; the second finds its key already replaced and is refused.
    let update = trx
      .updateTable("api_keys")
      .set({ hash: secret.hash, prefix: secret.prefix, last_used_at: null })
      .where("id", "=", before.id)
      .where("revoked_at", "is", null);
    if (ownKey && ctx.apiKeyHash) update = update.where("hash", "=", ctx.apiKeyHash);
    const row = await update.returningAll().executeTakeFirst();
    if (!row) throw new AppError("unauthorized", "This API key was just replaced; use the new key.");
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "reseller.api_key_rotated",
      subjectType: "api_key",
      subjectId: row.id,
      before: { api_key_prefix: before.prefix },
      after: { api_key_prefix: row.prefix, name: row.name, scope: row.scope },
    });
    const reseller = await getReseller(trx, ctx.resellerId, row.id);
    return { reseller, api_key: secret.plaintext, key: apiKeyView(row) };
  });
}
