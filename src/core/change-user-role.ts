import type { ResellerRole, TeamUser } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { AppError } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { lockTeamMember, ownerCount, teamUserView } from "./team.js";

export const lastOwner = (what: string) =>
  new AppError("last_owner", `${what}: every account needs at least one owner. Make someone else an owner first.`);

/** Changes a team member's role. The last owner cannot be demoted (409 `last_owner`); the same role is a no-op. */
export function changeUserRole(db: Db, ctx: ResellerContext, userId: string, role: ResellerRole): Promise<{ user: TeamUser }> {
  return db.transaction().execute(async (trx) => {
    const user = await lockTeamMember(trx, ctx.resellerId, userId);
    if (user.reseller_role === role) return { user: teamUserView(user) };
    if (user.reseller_role === "owner" && (await ownerCount(trx, ctx.resellerId)) <= 1)
      throw lastOwner("The only owner cannot be given another role");
    await trx.updateTable("users").set({ reseller_role: role }).where("id", "=", user.id).execute();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "user.role_changed",
      subjectType: "user",
      subjectId: user.id,
      before: { email: user.email, role: user.reseller_role },
      after: { email: user.email, role },
    });
    return { user: teamUserView({ ...user, reseller_role: role }) };
  });
}
