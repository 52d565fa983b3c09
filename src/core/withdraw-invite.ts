import type { Invite } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { notFound } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { inviteView } from "./team.js";

/** Withdraws a pending invite: its link stops working at once. Accepted or another reseller's invites are not found. */
export function withdrawInvite(db: Db, ctx: ResellerContext, inviteId: string): Promise<{ invite: Invite }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom("invites")
      .where("id", "=", inviteId)
      .where("reseller_id", "=", ctx.resellerId)
      .where("accepted_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound("Invite");
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "invite.withdrawn",
      subjectType: "invite",
      subjectId: row.id,
      before: { email: row.email, role: row.role },
    });
    return { invite: inviteView(row) };
  });
}
