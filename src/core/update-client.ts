import type { UpdateClientBody } from "../contracts/schemas.js";
import type { Client } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import type { ResellerContext } from "./context.js";
import { insertOrConflict } from "./site-registration.js";
import { normaliseSiteUrl, searchText } from "./site-url.js";
import { loadClient, lockClient, writeClient } from "./views.js";

export function updateClient(db: Db, ctx: ResellerContext, clientId: string, input: UpdateClientBody): Promise<Client> {
  const site = input.site_url === undefined ? null : normaliseSiteUrl(input.site_url);
  return db.transaction().execute(async (trx) => {
    await lockClient(trx, ctx.resellerId, clientId);
    const before = await loadClient(trx, ctx.resellerId, clientId);
    // Saving what is already there changes nothing, so it writes nothing and logs nothing.
    if ((input.name ?? before.name) === before.name && (site?.display ?? before.site_url) === before.site_url) return before;
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(site ? { site_url: site.display, site_norm: site.key } : {}),
      search_text: searchText(input.name ?? before.name, site?.display ?? before.site_url),
    };
    const write = () => writeClient(trx, ctx.resellerId, clientId, changes);
    if (site) await insertOrConflict(trx, ctx.resellerId, site.key, write, clientId);
    else await write();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "client.updated",
      subjectType: "client",
      subjectId: clientId,
      clientId,
      clientName: input.name ?? before.name,
      before: { name: before.name, site_url: before.site_url },
      after: { name: input.name ?? before.name, site_url: site?.display ?? before.site_url },
    });
    return loadClient(trx, ctx.resellerId, clientId);
  });
}
