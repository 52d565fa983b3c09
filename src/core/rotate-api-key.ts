import type { Reseller } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { getReseller } from "./accounts.js";
import { recordActivity } from "./activity.js";
import { AppError } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { newSecret } from "./ids.js";

/** Replaces the reseller's API key (after a leak, or routinely). The old key stops working at once; the new one is shown once. */
export function rotateApiKey(db: Db, ctx: ResellerContext): Promise<{ reseller: Reseller; api_key: string }> {
  return db.transaction().execute(async (trx) => {
    const before = await getReseller(trx, ctx.resellerId);
    const key = newSecret("live");
    // Compare-and-set on the key the request came with: of two racing rotations with one (possibly leaked) key, only
    // the first succeeds; the second finds its key already replaced and is refused.
    let update = trx
      .updateTable("resellers")
      .set({ api_key_hash: key.hash, api_key_prefix: key.prefix })
      .where("id", "=", ctx.resellerId);
    if (ctx.apiKeyHash) update = update.where("api_key_hash", "=", ctx.apiKeyHash);
    const { numUpdatedRows } = await update.executeTakeFirst();
    if (numUpdatedRows === 0n) throw new AppError("unauthorized", "This API key was just replaced; use the new key.");
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "reseller.api_key_rotated",
      subjectType: "reseller",
      subjectId: ctx.resellerId,
      before: { api_key_prefix: before.api_key_prefix },
      after: { api_key_prefix: key.prefix },
    });
    return { reseller: { ...before, api_key_prefix: key.prefix }, api_key: key.plaintext };
  });
}
