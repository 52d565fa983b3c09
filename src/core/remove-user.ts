import type { TeamUser } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { lastOwner } from "./change-user-role.js";
import type { ResellerContext } from "./context.js";
import { lockTeamMember, ownerCount, teamUserView } from "./team.js";

/**
 * Removes a user from the reseller's team: the login is deleted and every session of it ends at once. The last owner
 * cannot be removed (409 `last_owner`). Their past actions stay in the activity log (actors are text, not references).
 */
export function removeUser(db: Db, ctx: ResellerContext, userId: string): Promise<{ user: TeamUser }> {
  return db.transaction().execute(async (trx) => {
    const user = await lockTeamMember(trx, ctx.resellerId, userId);
    if (user.reseller_role === "owner" && (await ownerCount(trx, ctx.resellerId)) <= 1)
      throw lastOwner("The only owner cannot be removed");
    await trx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("users").where("id", "=", user.id).execute();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "user.removed",
      subjectType: "user",
      subjectId: user.id,
      before: { email: user.email, role: user.reseller_role },
    });
    return { user: teamUserView(user) };
  });
}
