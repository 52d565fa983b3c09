import type { Selectable } from "kysely";
import type { Invite, TeamUser } from "../contracts/types.js";
import type { DbOrTx, InvitesTable, UsersTable } from "../db/schema.js";
import { notFound } from "./app-error.js";

/** Shared by the team operations (invite, change role, remove, accept): views and the last-owner rule's lock. */

export function teamUserView(
  u: Pick<Selectable<UsersTable>, "id" | "email" | "name" | "reseller_role" | "created_at">,
): TeamUser {
  return { id: u.id, email: u.email, name: u.name, role: u.reseller_role ?? "viewer", created_at: u.created_at };
}

export function inviteView(i: Selectable<InvitesTable>): Invite {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    invited_by: i.invited_by,
    created_at: i.created_at,
    expires_at: i.expires_at,
  };
}

/**
 * Serialises changes to one reseller's team: a no-op write to the reseller row takes its row lock (PostgreSQL) or the
 * write lock (SQLite) before the owners are counted, so two owners demoting each other at once cannot both succeed.
 */
export async function lockTeam(trx: DbOrTx, resellerId: string): Promise<void> {
  await trx
    .updateTable("resellers")
    .set((eb) => ({ name: eb.ref("name") }))
    .where("id", "=", resellerId)
    .execute();
}

export async function ownerCount(trx: DbOrTx, resellerId: string): Promise<number> {
  const row = await trx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("reseller_id", "=", resellerId)
    .where("reseller_role", "=", "owner")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Inside a team change: takes the team lock, then reads the member (404 for anyone not on this reseller's team). */
export async function lockTeamMember(trx: DbOrTx, resellerId: string, userId: string) {
  await lockTeam(trx, resellerId);
  const user = await trx
    .selectFrom("users")
    .select(["id", "email", "name", "reseller_role", "created_at"])
    .where("id", "=", userId)
    .where("reseller_id", "=", resellerId)
    .where("role", "=", "reseller")
    .executeTakeFirst();
  if (!user) throw notFound("User");
  return user;
}
