import type { InvitePreview } from "../contracts/types.js";
import { isUniqueViolation } from "../db/connect.js";
import type { Db, DbOrTx } from "../db/schema.js";
import type { AccessSettings } from "./access-settings.js";
import { emailTaken, newUserRow } from "./accounts.js";
import { recordActivity } from "./activity.js";
import { AppError } from "./app-error.js";
import { createSession, type NewSession } from "./auth.js";
import { hashSecret, nowIso } from "./ids.js";

const invalidLink = () =>
  new AppError("not_found", "This invite link is not valid: it may have been used already or withdrawn. Ask for a new one.");
const expiredLink = () =>
  new AppError("invite_expired", "This invite link has expired. Ask whoever invited you to send a new one.");

async function openInvite(db: DbOrTx, token: string) {
  const row = await db
    .selectFrom("invites")
    .innerJoin("resellers", "resellers.id", "invites.reseller_id")
    .select([
      "invites.id",
      "invites.reseller_id",
      "invites.email",
      "invites.role",
      "invites.invited_by",
      "invites.expires_at",
      "resellers.name as reseller_name",
    ])
    .where("invites.token_hash", "=", hashSecret(token))
    .where("invites.accepted_at", "is", null)
    .executeTakeFirst();
  if (!row) throw invalidLink();
  if (Date.parse(row.expires_at) <= Date.now()) throw expiredLink();
  return row;
}

/** What the accept page shows: whose team, which email and role, and who sent it. */
export async function previewInvite(db: Db, token: string): Promise<InvitePreview> {
  const i = await openInvite(db, token);
  return { email: i.email, role: i.role, reseller_name: i.reseller_name, invited_by: i.invited_by, expires_at: i.expires_at };
}

/**
 * Accepting an invite creates the user (with the invited email and role) and signs them in. The link works once: the
 * invite is claimed with a compare-and-set in the same transaction as the new user.
 */
export async function acceptInvite(
  db: Db,
  s: AccessSettings,
  token: string,
  input: { password: string; name?: string | undefined },
): Promise<NewSession> {
  const invite = await openInvite(db, token);
  // Hashed before the transaction opens: the slow KDF should not hold the write lock.
  const user = await newUserRow({
    email: invite.email,
    password: input.password,
    role: "reseller",
    resellerId: invite.reseller_id,
    resellerRole: invite.role,
    name: input.name ?? null,
  });
  try {
    await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable("invites")
        .set({ accepted_at: nowIso(), accepted_user_id: user.id })
        .where("id", "=", invite.id)
        .where("accepted_at", "is", null)
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) throw invalidLink();
      await trx.insertInto("users").values(user).execute();
      await recordActivity(trx, {
        resellerId: invite.reseller_id,
        actor: `user ${invite.email}`,
        action: "user.joined",
        subjectType: "user",
        subjectId: user.id,
        after: { email: invite.email, role: invite.role, invited_by: invite.invited_by },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
  return createSession(db, s, user.id);
}
