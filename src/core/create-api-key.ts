import type { ApiKey, ApiKeyScope } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { AppError } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { newId, newSecret, nowIso } from "./ids.js";
import { apiKeyView } from "./list-api-keys.js";

/** More than enough for every script and integration a reseller runs; a bound keeps a runaway loop from filling the table. */
export const ACTIVE_API_KEYS_MAX = 50;

/** A new API key, shown once in `api_key`; only its hash and prefix are kept. */
export function createApiKey(
  db: Db,
  ctx: ResellerContext,
  input: { name: string; scope: ApiKeyScope },
): Promise<{ key: ApiKey; api_key: string }> {
  return db.transaction().execute(async (trx) => {
    const active = await trx
      .selectFrom("api_keys")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("reseller_id", "=", ctx.resellerId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (Number(active?.n ?? 0) >= ACTIVE_API_KEYS_MAX)
      throw new AppError("validation_error", `name: you already have ${ACTIVE_API_KEYS_MAX} active API keys; revoke one first`, {
        field: "name",
      });
    const secret = newSecret("live");
    const row = {
      id: newId("key"),
      reseller_id: ctx.resellerId,
      name: input.name,
      prefix: secret.prefix,
      hash: secret.hash,
      scope: input.scope,
      created_at: nowIso(),
      created_by: ctx.actor,
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
    };
    await trx.insertInto("api_keys").values(row).execute();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "api_key.created",
      subjectType: "api_key",
      subjectId: row.id,
      after: { name: row.name, prefix: row.prefix, scope: row.scope },
    });
    return { key: apiKeyView(row), api_key: secret.plaintext };
  });
}
