import type { Insertable } from "kysely";
import { PASSWORD_MAX, PASSWORD_MIN } from "../contracts/limits.js";
import type { Reseller, ResellerRole } from "../contracts/types.js";
import { isForeignKeyViolation, isUniqueViolation } from "../db/connect.js";
import type { Db, DbOrTx, UsersTable } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { AppError, invalid } from "./app-error.js";
import { newId, newSecret, nowIso } from "./ids.js";
import { hashPassword } from "./passwords.js";
import { foldForSearch } from "./site-url.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 320) throw invalid("email", "must be an email address");
  return e;
}

export const emailTaken = () => new AppError("email_taken", "An account with this email already exists.", { field: "email" });

/**
 * Creates a reseller and its first API key (read-write; shown once, only the hash is stored), and with `password` its
 * dashboard login too, as the account's owner. Everything is validated first and written in one transaction: a bad
 * password creates no half-made reseller.
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
      : await newUserRow({ email, password: input.password, role: "reseller", resellerId: reseller.id, resellerRole: "owner" });
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("resellers")
        .values({
          ...reseller,
          // Legacy columns (before api_keys): a placeholder, never a secret's hash.
          api_key_hash: `unused:${reseller.id}`,
          api_key_prefix: "",
          search_text: foldForSearch(`${name}\n${email}`),
        })
        .execute();
      await trx
        .insertInto("api_keys")
        .values({
          id: newId("key"),
          reseller_id: reseller.id,
          name: "API key",
          prefix: key.prefix,
          hash: key.hash,
          scope: "read_write",
          created_at: reseller.created_at,
          created_by: input.actor,
          last_used_at: null,
          revoked_at: null,
          revoked_by: null,
        })
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

/**
 * A dashboard login: reseller users belong to one reseller, with a role there (owner unless told otherwise: the CLI
 * and tests make account holders); support users belong to none.
 */
export async function createUser(db: DbOrTx, input: NewUser): Promise<{ id: string; email: string }> {
  const user = await newUserRow(input);
  try {
    await db.insertInto("users").values(user).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    if (isForeignKeyViolation(err)) throw new AppError("not_found", `No reseller ${input.resellerId}.`, { field: "reseller_id" });
    throw err;
  }
  return { id: user.id, email: user.email };
}

export interface NewUser {
  email: string;
  password: string;
  role: "reseller" | "support";
  resellerId: string | null;
  resellerRole?: ResellerRole;
  name?: string | null;
}

/** A users row, validated, with its password hashed (slow on purpose: call it before opening a transaction). */
export async function newUserRow(input: NewUser): Promise<Insertable<UsersTable>> {
  const email = checkEmail(input.email);
  if (input.password.length < PASSWORD_MIN) throw invalid("password", `must be at least ${PASSWORD_MIN} characters`);
  if (input.password.length > PASSWORD_MAX) throw invalid("password", `must be at most ${PASSWORD_MAX} characters`);
  if ((input.role === "reseller") !== (input.resellerId !== null))
    throw invalid("reseller_id", "reseller users need a reseller; support users have none");
  return {
    id: newId("usr"),
    email,
    password_hash: await hashPassword(input.password),
    role: input.role,
    reseller_id: input.resellerId,
    reseller_role: input.role === "reseller" ? (input.resellerRole ?? "owner") : null,
    name: input.name?.trim() || null,
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

/**
 * The reseller, with `api_key_prefix` telling which key is meant: `apiKeyId` (the key a request came with), or else
 * the reseller's primary key, its oldest active read-write key (null when none is left).
 */
export async function getReseller(db: DbOrTx, resellerId: string, apiKeyId?: string): Promise<Reseller> {
  const r = await db
    .selectFrom("resellers")
    .select(["id", "name", "email", "created_at"])
    .where("id", "=", resellerId)
    .executeTakeFirstOrThrow();
  const key = apiKeyId
    ? await db.selectFrom("api_keys").select("prefix").where("id", "=", apiKeyId).executeTakeFirst()
    : await primaryApiKey(db, resellerId);
  return { id: r.id, name: r.name, email: r.email, api_key_prefix: key?.prefix ?? null, created_at: r.created_at };
}

/** The key the dashboard means by "your API key": the oldest active read-write one (the account's first, normally). */
export function primaryApiKey(db: DbOrTx, resellerId: string) {
  return db
    .selectFrom("api_keys")
    .select(["id", "prefix", "hash"])
    .where("reseller_id", "=", resellerId)
    .where("scope", "=", "read_write")
    .where("revoked_at", "is", null)
    .orderBy("id", "asc")
    .limit(1)
    .executeTakeFirst();
}
