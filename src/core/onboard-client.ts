import type { CreateClientBody } from "../contracts/schemas.js";
import type { Client, License } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { allocateInTransaction } from "./allocate-license.js";
import type { ResellerContext } from "./context.js";
import { newId, newSecret, nowIso } from "./ids.js";
import { insertOrConflict } from "./site-registration.js";
import { normaliseSiteUrl, searchText } from "./site-url.js";
import { loadClient } from "./views.js";

export interface OnboardResult {
  client: Client;
  /** Shown exactly once: only its hash is stored. */
  site_key: string;
  license: License | null;
}

/** Creates the client and, when a pool is picked, its license, in one transaction: a full pool creates nothing. */
export async function onboardClient(db: Db, ctx: ResellerContext, input: CreateClientBody): Promise<OnboardResult> {
  const site = normaliseSiteUrl(input.site_url);
  const key = newSecret("site");
  return db.transaction().execute(async (trx) => {
    const id = newId("cli");
    const now = nowIso();
    await insertOrConflict(trx, ctx.resellerId, site.key, () =>
      trx
        .insertInto("clients")
        .values({
          id,
          reseller_id: ctx.resellerId,
          name: input.name,
          site_url: site.display,
          site_norm: site.key,
          search_text: searchText(input.name, site.display),
          status: "active",
          site_key_hash: key.hash,
          site_key_prefix: key.prefix,
          last_check_in_at: null,
          plugin_version: null,
          created_at: now,
          updated_at: now,
        })
        .execute(),
    );
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "client.created",
      subjectType: "client",
      subjectId: id,
      clientId: id,
      clientName: input.name,
      before: null,
      after: { name: input.name, site_url: site.display },
    });
    const license = input.pool_id ? (await allocateInTransaction(trx, ctx, input.pool_id, id)).license : null;
    return { client: await loadClient(trx, ctx.resellerId, id), site_key: key.plaintext, license };
  });
}
