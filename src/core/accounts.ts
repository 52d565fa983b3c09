import { PASSWORD_MIN } from "../contracts/limits.js";
import type { Reseller } from "../contracts/types.js";
import { isUniqueViolation } from "../db/connect.js";
import type { Db, DbOrTx } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { AppError, invalid } from "./app-error.js";
import { newId, newSecret, nowIso } from "./ids.js";
import { hashPassword } from "./passwords.js";
import { foldForSearch } from "./site-url.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 320) throw invalid("email", "must be an email address");
  return e;
}

const emailTaken = () => new AppError("email_taken", "An account with this email already exists.", { field: "email" });

/**
 * Creates a reseller and its API key (shown once; only the hash is stored), and with `password` its dashboard login
 * too. Everything is validated first and written in one transaction: a bad password creates no half-made reseller.
 */
export async function createReseller(
  db: Db,
  input: { name: string; email: string; actor: string; password?: string },
): Promise<{ reseller: Reseller; api_key: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) throw invalid("name", "must be 1-200 characters");
  const email = checkEmail(input.email);
  const key = newSecret("live");
  const reseller: Reseller = { id: newId("res"), name, email, api_key_prefix: key.prefix, created_at: nowIso() };
  // Hashed before the transaction opens: the slow KDF should not hold the write lock.
  const login =
    input.password === undefined
      ? null
      : await newUserRow({ email, password: input.password, role: "reseller", resellerId: reseller.id });
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("resellers")
        .values({ ...reseller, api_key_hash: key.hash, search_text: foldForSearch(`${name}\n${email}`) })
        .execute();
      if (login) await trx.insertInto("users").values(login).execute();
      await recordActivity(trx, {
        resellerId: reseller.id,
        actor: input.actor,
        action: "reseller.created",
        subjectType: "reseller",
        subjectId: reseller.id,
        after: { name, email },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
  return { reseller, api_key: key.plaintext };
}

/** A dashboard login: reseller users belong to one reseller; support users to none. */
export async function createUser(
  db: DbOrTx,
  input: { email: string; password: string; role: "reseller" | "support"; resellerId: string | null },
): Promise<{ id: string; email: string }> {
  const user = await newUserRow(input);
  try {
    await db.insertInto("users").values(user).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
  return { id: user.id, email: user.email };
}

type NewUser = { email: string; password: string; role: "reseller" | "support"; resellerId: string | null };

async function newUserRow(input: NewUser) {
  const email = checkEmail(input.email);
  if (input.password.length < PASSWORD_MIN) throw invalid("password", `must be at least ${PASSWORD_MIN} characters`);
  return {
    id: newId("usr"),
    email,
    password_hash: await hashPassword(input.password),
    role: input.role,
    reseller_id: input.resellerId,
    created_at: nowIso(),
  };
}

export async function createSupportToken(db: DbOrTx, label: string): Promise<{ token: string; prefix: string }> {
  const secret = newSecret("sup");
  await db
    .insertInto("support_tokens")
    .values({ id: newId("stk"), token_hash: secret.hash, token_prefix: secret.prefix, label, created_at: nowIso() })
    .execute();
  return { token: secret.plaintext, prefix: secret.prefix };
}

export async function getReseller(db: DbOrTx, resellerId: string): Promise<Reseller> {
  return db
    .selectFrom("resellers")
    .select(["id", "name", "email", "api_key_prefix", "created_at"])
    .where("id", "=", resellerId)
    .executeTakeFirstOrThrow();
}
