import type { Invite, TeamUser } from "../contracts/types.js";
import type { DbOrTx } from "../db/schema.js";
import { inviteView, teamUserView } from "./team.js";

/** The reseller's users, oldest first (the account's first owner on top). A team is small: no pagination. */
export async function listUsers(db: DbOrTx, resellerId: string): Promise<TeamUser[]> {
  const rows = await db
    .selectFrom("users")
    .select(["id", "email", "name", "reseller_role", "created_at"])
    .where("reseller_id", "=", resellerId)
    .where("role", "=", "reseller")
    .orderBy("id", "asc")
    .execute();
  return rows.map(teamUserView);
}

/** Invites not yet accepted, newest first; expired ones included (the dashboard marks them) until withdrawn. */
export async function listInvites(db: DbOrTx, resellerId: string): Promise<Invite[]> {
  const rows = await db
    .selectFrom("invites")
    .selectAll()
    .where("reseller_id", "=", resellerId)
    .where("accepted_at", "is", null)
    .orderBy("id", "desc")
    .execute();
  return rows.map(inviteView);
}
