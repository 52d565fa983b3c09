import type { Db } from "../db/schema.js";
import { newUserRow } from "./accounts.js";
import { recordActivity } from "./activity.js";
import { AppError } from "./app-error.js";

/**
 * An operator's way back in for a user who forgot their password (there is no mail server for reset links): sets a
 * new one and ends every session of that login, in one transaction, with an audit row on the user's reseller.
 */
export async function resetPassword(db: Db, input: { email: string; password: string; actor: string }): Promise<void> {
  // Validates the email and password and hashes the password exactly as for a new login (slow: before the transaction).
  const row = await newUserRow({ email: input.email, password: input.password, role: "support", resellerId: null });
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .updateTable("users")
      .set({ password_hash: row.password_hash })
      .where("email", "=", row.email)
      .returning(["id", "reseller_id"])
      .executeTakeFirst();
    if (!user) throw new AppError("not_found", `No login with the email ${row.email}.`, { field: "email" });
    await trx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
    if (user.reseller_id)
      await recordActivity(trx, {
        resellerId: user.reseller_id,
        actor: input.actor,
        action: "user.password_reset",
        subjectType: "user",
        subjectId: user.id,
        after: { email: row.email },
      });
  });
}
