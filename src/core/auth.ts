import { randomBytes } from "node:crypto";
import type { SessionUser } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { roleOfScope } from "./access.js";
import type { AccessSettings } from "./access-settings.js";
import { recordActivity } from "./activity.js";
import { AppError } from "./app-error.js";
import type { ResellerContext, SupportContext } from "./context.js";
import { hashSecret, newSecret, nowIso } from "./ids.js";
import { assertNotLocked, clearLoginFailures, countLoginAttempt, recordLoginFailure } from "./login-throttle.js";
import { verifyPassword } from "./passwords.js";

const unauthorized = () => new AppError("unauthorized", "Missing or invalid credentials.");
/** Last-use times (API keys, sessions) are written at most this often per key: a busy script costs no write per call. */
const TOUCH_EVERY_MS = 60_000;

const stale = (at: string | null, now: number) => at === null || Date.parse(at) < now - TOUCH_EVERY_MS;

/**
 * An API key acts for its reseller with the role its scope stands for. Only `api_keys` is consulted, and a revoked key
 * is refused on the very next request: nothing is cached.
 */
export async function authenticateApiKey(db: Db, key: string): Promise<ResellerContext> {
  const apiKeyHash = hashSecret(key);
  const k = await db
    .selectFrom("api_keys")
    .select(["id", "reseller_id", "prefix", "scope", "last_used_at"])
    .where("hash", "=", apiKeyHash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!k) throw unauthorized();
  const now = Date.now();
  if (stale(k.last_used_at, now)) {
    // Bookkeeping, not the request's business: a busy database must not turn a read into an error.
    await db
      .updateTable("api_keys")
      .set({ last_used_at: new Date(now).toISOString() })
      .where("id", "=", k.id)
      .execute()
      .catch(() => {});
  }
  return {
    resellerId: k.reseller_id,
    actor: `api-key ${k.prefix}`,
    role: roleOfScope(k.scope),
    apiKeyId: k.id,
    apiKeyHash,
  };
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

export interface NewSession {
  token: string;
  csrf_token: string;
  expires_at: string;
}

/**
 * Email and password to a session. Every failure is the same `invalid_credentials`, whatever was wrong; after
 * repeated failures the email (or the client address) is locked out for a while: `login_locked`, checked before the
 * password is even looked at, so a locked account cannot be guessed at.
 */
export async function login(
  db: Db,
  s: AccessSettings,
  input: { email: string; password: string; ip: string },
): Promise<NewSession> {
  const email = input.email.trim().toLowerCase();
  await assertNotLocked(db, s, email, input.ip);
  await countLoginAttempt(db, s, email, input.ip);
  const user = await db.selectFrom("users").select(["id", "password_hash"]).where("email", "=", email).executeTakeFirst();
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok) {
    await recordLoginFailure(db, s, email, input.ip);
    throw new AppError("invalid_credentials", "Email or password is wrong.");
  }
  await clearLoginFailures(db, s, email, input.ip);
  return createSession(db, s, user.id);
}

/** A new dashboard session for a user (sign-in, accepted invite). Expired sessions are swept out on the way. */
export async function createSession(db: Db, s: AccessSettings, userId: string): Promise<NewSession> {
  const session = newSecret("sess");
  const csrf = randomBytes(24).toString("base64url");
  const now = nowIso();
  const expires = new Date(Date.now() + s.sessionTtlMs).toISOString();
  await db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
  await db
    .insertInto("sessions")
    .values({
      token_hash: session.hash,
      user_id: userId,
      csrf_token: csrf,
      created_at: now,
      expires_at: expires,
      last_seen_at: now,
    })
    .execute();
  return { token: session.plaintext, csrf_token: csrf, expires_at: expires };
}

/**
 * The user behind a session cookie. A session ends at `expires_at` (SESSION_TTL_HOURS after sign-in) or after
 * SESSION_IDLE_MINUTES without a request, whichever comes first; an ended session is deleted.
 */
export async function sessionUser(db: Db, s: AccessSettings, token: string): Promise<{ user: SessionUser; csrf_token: string }> {
  const tokenHash = hashSecret(token);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .leftJoin("resellers", "resellers.id", "users.reseller_id")
    .select([
      "users.id",
      "users.email",
      "users.name",
      "users.role",
      "users.reseller_role",
      "users.reseller_id",
      "resellers.name as reseller_name",
      "sessions.csrf_token",
      "sessions.created_at",
      "sessions.expires_at",
      "sessions.last_seen_at",
    ])
    .where("sessions.token_hash", "=", tokenHash)
    .executeTakeFirst();
  if (!row) throw unauthorized();
  const now = Date.now();
  const lastSeen = row.last_seen_at ?? row.created_at;
  if (Date.parse(row.expires_at) <= now || Date.parse(lastSeen) + s.sessionIdleMs <= now) {
    await db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
    throw unauthorized();
  }
  if (stale(row.last_seen_at, now)) {
    await db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(now).toISOString() })
      .where("token_hash", "=", tokenHash)
      .execute()
      .catch(() => {});
  }
  const user: SessionUser = {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    reseller_role: row.role === "reseller" ? (row.reseller_role ?? "viewer") : null,
    reseller_id: row.reseller_id,
    reseller_name: row.reseller_name,
  };
  return { user, csrf_token: row.csrf_token };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", hashSecret(token)).execute();
}

/** Ends every session of the user (this browser's too), with an audit row for reseller users. */
export async function logoutEverywhere(db: Db, user: SessionUser): Promise<{ sessions_ended: number }> {
  return db.transaction().execute(async (trx) => {
    const { numDeletedRows } = await trx.deleteFrom("sessions").where("user_id", "=", user.id).executeTakeFirst();
    if (user.reseller_id)
      await recordActivity(trx, {
        resellerId: user.reseller_id,
        actor: `user ${user.email}`,
        action: "user.signed_out_everywhere",
        subjectType: "user",
        subjectId: user.id,
        after: { sessions_ended: Number(numDeletedRows) },
      });
    return { sessions_ended: Number(numDeletedRows) };
  });
}
