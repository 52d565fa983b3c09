import type { Invite, ResellerRole } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import type { AccessSettings } from "./access-settings.js";
import { checkEmail, emailTaken } from "./accounts.js";
import { recordActivity } from "./activity.js";
import type { ResellerContext } from "./context.js";
import { newId, newSecret } from "./ids.js";
import { inviteView } from "./team.js";

/**
 * Invites someone to the reseller's team with a role. The answer carries the one-time token (the owner passes the
 * link on; there is no mail server); only its hash is stored. Inviting an email again replaces its pending invite, so
 * a lost link is fixed by inviting again (the old link stops working). An email already on this team is refused.
 */
export function inviteUser(
  db: Db,
  ctx: ResellerContext,
  s: AccessSettings,
  input: { email: string; role: ResellerRole },
): Promise<{ invite: Invite; token: string }> {
  const email = checkEmail(input.email);
  return db.transaction().execute(async (trx) => {
    // Only this team's members are checked here: refusing an email that has an account elsewhere would tell one
    // reseller which addresses another reseller (or support) uses. Accepting such an invite fails with email_taken.
    const member = await trx
      .selectFrom("users")
      .select("id")
      .where("email", "=", email)
      .where("reseller_id", "=", ctx.resellerId)
      .executeTakeFirst();
    if (member) throw emailTaken();
    const replaced = await trx
      .deleteFrom("invites")
      .where("reseller_id", "=", ctx.resellerId)
      .where("email", "=", email)
      .where("accepted_at", "is", null)
      .returning("id")
      .execute();
    const token = newSecret("inv");
    const now = new Date();
    const row = {
      id: newId("inv"),
      reseller_id: ctx.resellerId,
      email,
      role: input.role,
      token_hash: token.hash,
      invited_by: ctx.actor.replace(/^user /, ""),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + s.inviteTtlMs).toISOString(),
      accepted_at: null,
      accepted_user_id: null,
    };
    await trx.insertInto("invites").values(row).execute();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "user.invited",
      subjectType: "invite",
      subjectId: row.id,
      after: { email, role: input.role, expires_at: row.expires_at, ...(replaced.length ? { replaced: true } : {}) },
    });
    return { invite: inviteView(row), token: token.plaintext };
  });
}
