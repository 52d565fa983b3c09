import { randomBytes } from "node:crypto";
import type { SessionUser } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { AppError } from "./app-error.js";
import type { ResellerContext, SupportContext } from "./context.js";
import { hashSecret, newSecret, nowIso } from "./ids.js";
import { verifyPassword } from "./passwords.js";

const SESSION_TTL_MS = 12 * 3600 * 1000;
const unauthorized = () => new AppError("unauthorized", "Missing or invalid credentials.");

export async function authenticateApiKey(db: Db, key: string): Promise<ResellerContext> {
  const apiKeyHash = hashSecret(key);
  const r = await db
    .selectFrom("resellers")
    .select(["id", "api_key_prefix"])
    .where("api_key_hash", "=", apiKeyHash)
    .executeTakeFirst();
  if (!r) throw unauthorized();
  return { resellerId: r.id, actor: `api-key ${r.api_key_prefix}`, apiKeyHash };
}

export async function authenticateSupportToken(db: Db, token: string): Promise<SupportContext> {
  const t = await db
    .selectFrom("support_tokens")
    .select(["label"])
    .where("token_hash", "=", hashSecret(token))
    .executeTakeFirst();
  if (!t) throw unauthorized();
  // The label, not the token prefix: resellers see this actor in their activity log.
  return { actor: `support token "${t.label}"` };
}

/** A dummy hash so a login for an unknown email costs as much as a wrong password (no user enumeration by timing). */
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export async function login(
  db: Db,
  email: string,
  password: string,
): Promise<{ token: string; csrf_token: string; expires_at: string }> {
  const user = await db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok) throw new AppError("invalid_credentials", "Email or password is wrong.");
  const session = newSecret("sess");
  const csrf = randomBytes(24).toString("base64url");
  const expires = new Date(Date.now() + SESSION_TTL_MS).toISOString();
  await db
    .insertInto("sessions")
    .values({ token_hash: session.hash, user_id: user.id, csrf_token: csrf, created_at: nowIso(), expires_at: expires })
    .execute();
  return { token: session.plaintext, csrf_token: csrf, expires_at: expires };
}

export async function sessionUser(db: Db, token: string): Promise<{ user: SessionUser; csrf_token: string }> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .leftJoin("resellers", "resellers.id", "users.reseller_id")
    .select([
      "users.id",
      "users.email",
      "users.role",
      "users.reseller_id",
      "resellers.name as reseller_name",
      "sessions.csrf_token",
      "sessions.expires_at",
    ])
    .where("sessions.token_hash", "=", hashSecret(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= nowIso()) throw unauthorized();
  const { csrf_token, expires_at: _e, ...user } = row;
  return { user, csrf_token };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", hashSecret(token)).execute();
}
