import { sql } from "kysely";
import type { Db } from "../db/schema.js";
import type { AccessSettings } from "./access-settings.js";
import { AppError } from "./app-error.js";
import { hashSecret } from "./ids.js";

/**
 * Temporary lockout after repeated failed sign-ins, counted per email (whether or not an account has it, so a lockout
 * says nothing about which emails exist) and per client address. Kept in the database, so every app server sees the
 * same counts and a restart forgets nothing. Keys are hashed: a password pasted into the email box is not kept in clear.
 */
type Throttle = { key: string; max: number };

const throttlesFor = (s: AccessSettings, email: string, ip: string): Throttle[] => [
  { key: hashSecret(`email:${email.trim().toLowerCase()}`), max: s.maxFailuresPerEmail },
  { key: hashSecret(`ip:${ip}`), max: s.maxFailuresPerIp },
];

export const loginLocked = (ms: number) => {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    "login_locked",
    `Too many failed sign-ins. Sign-in is paused; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    { retry_after_s: seconds },
  );
};

/** Throws `login_locked` (429, with how long to wait) while the email or the address is locked out. */
export async function assertNotLocked(db: Db, s: AccessSettings, email: string, ip: string): Promise<void> {
  const now = new Date();
  const locks = await db
    .selectFrom("login_throttles")
    .select("locked_until")
    .where(
      "key",
      "in",
      throttlesFor(s, email, ip).map((t) => t.key),
    )
    .where("locked_until", ">", now.toISOString())
    .execute();
  const until = Math.max(0, ...locks.map((l) => Date.parse(l.locked_until ?? "")));
  if (until > now.getTime()) throw loginLocked(until - now.getTime());
}

/**
 * Counts this attempt against the email and the address *before* the password is checked (an atomic upsert each), so
 * guesses sent in parallel cannot all pass a check made before any of them failed. An attempt beyond either allowance
 * locks that key and is refused with `login_locked` without its password being looked at.
 */
export async function countLoginAttempt(db: Db, s: AccessSettings, email: string, ip: string): Promise<void> {
  const now = new Date();
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - s.failureWindowMs).toISOString();
  for (const t of throttlesFor(s, email, ip)) {
    const row = await db
      .insertInto("login_throttles")
      .values({ key: t.key, failures: 1, window_started_at: nowIso, locked_until: null })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({
          failures: sql<number>`case when login_throttles.window_started_at <= ${windowStart} then 1 else login_throttles.failures + 1 end`,
          window_started_at: sql<string>`case when login_throttles.window_started_at <= ${windowStart} then ${nowIso} else login_throttles.window_started_at end`,
        }),
      )
      .returning(["failures", "locked_until"])
      .executeTakeFirst();
    // A lock set by a parallel attempt since assertNotLocked looked (the lock resets the count, so check it too).
    const lockedFor = row?.locked_until ? Date.parse(row.locked_until) - now.getTime() : 0;
    if (lockedFor > 0) throw loginLocked(lockedFor);
    if (row && Number(row.failures) > t.max) {
      await lock(db, s, t.key, now);
      throw loginLocked(s.lockoutMs);
    }
  }
}

/** A wrong password: its attempt stays counted, and the one that used up an allowance locks that key. */
export async function recordLoginFailure(db: Db, s: AccessSettings, email: string, ip: string): Promise<void> {
  const now = new Date();
  for (const t of throttlesFor(s, email, ip)) {
    const row = await db.selectFrom("login_throttles").select("failures").where("key", "=", t.key).executeTakeFirst();
    if (row && Number(row.failures) >= t.max) await lock(db, s, t.key, now);
  }
  // Forget counts nobody added to within a window and locks that ran out, so the table stays small.
  const nowIso = now.toISOString();
  await db
    .deleteFrom("login_throttles")
    .where("window_started_at", "<", new Date(now.getTime() - s.failureWindowMs).toISOString())
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", nowIso)]))
    .execute();
}

/** Locks a key for the lockout period with a fresh count; a lock already running is not extended. */
async function lock(db: Db, s: AccessSettings, key: string, now: Date): Promise<void> {
  const nowIso = now.toISOString();
  await db
    .updateTable("login_throttles")
    .set({ locked_until: new Date(now.getTime() + s.lockoutMs).toISOString(), failures: 0, window_started_at: nowIso })
    .where("key", "=", key)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", nowIso)]))
    .execute();
}

/**
 * A successful sign-in clears the email's count and gives back this attempt's count on the address (not the earlier
 * ones: one good password does not excuse the guesses).
 */
export async function clearLoginFailures(db: Db, s: AccessSettings, email: string, ip: string): Promise<void> {
  const [emailThrottle, ipThrottle] = throttlesFor(s, email, ip);
  if (emailThrottle) await db.deleteFrom("login_throttles").where("key", "=", emailThrottle.key).execute();
  if (ipThrottle)
    await db
      .updateTable("login_throttles")
      .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
      .where("key", "=", ipThrottle.key)
      .execute();
}
