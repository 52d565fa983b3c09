import type { Reseller } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { getReseller } from "./accounts.js";
import { recordActivity } from "./activity.js";
import type { ResellerContext } from "./context.js";
import { newSecret } from "./ids.js";

/** Replaces the reseller's API key (after a leak, or routinely). The old key stops working at once; the new one is shown once. */
export function rotateApiKey(db: Db, ctx: ResellerContext): Promise<{ reseller: Reseller; api_key: string }> {
  return db.transaction().execute(async (trx) => {
    const before = await getReseller(trx, ctx.resellerId);
    const key = newSecret("live");
    await trx
      .updateTable("resellers")
      .set({ api_key_hash: key.hash, api_key_prefix: key.prefix })
      .where("id", "=", ctx.resellerId)
      .execute();
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
