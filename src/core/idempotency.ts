import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { canonicalJson } from "../contracts/canonical-json.js";
import type { Db, Tx } from "../db/schema.js";
import { AppError } from "./app-error.js";
import { hashSecret, newId } from "./ids.js";

/**
 * Idempotency keys for the reseller API's writes: the same `Idempotency-Key` with the same request gets the stored
 * answer and changes nothing, also while the first request is still running; the same key on another request is refused.
 *
 * The record lives in the database (table idempotency_keys), so it works across app processes. The flow:
 *   1. claim: `INSERT ... ON CONFLICT DO NOTHING` of an `in_flight` row, in its own statement. One request wins;
 *   2. the winner runs the route (one core operation, its own transaction) while the others poll the row. That
 *      transaction also marks the claim `committed` (`markIdempotencyKeyCommitted`), as its last statement before
 *      COMMIT, if it changed anything: the server registers the mark as the request's "before commit" hook
 *      (db/transaction-hooks.ts), so it commits exactly when the operation's change does and rolls back with it, also
 *      across the transaction's own deadlock/busy retries. A request that changes nothing (a refusal, a validation
 *      error, a no-op) leaves the claim `in_flight`;
 *   3. complete: the winner stores status + body (`done`); on a 5xx it deletes the claim if it is still `in_flight`
 *      (nothing was committed, so a retry must be able to run).
 *
 * Crashes. The answer is written after the operation's commit, in another statement: routes are "one core call" that
 * opens its own transaction, and holding one transaction around the whole HTTP handler would serialise every write
 * behind it on SQLite's single connection. A process that dies in between leaves the row saying which side of the
 * commit it died on, and a retry acts on that once the claim is `abandonAfterMs` old (2 minutes: far beyond any
 * request, whose statements time out after DB_STATEMENT_TIMEOUT_MS):
 *   - still `in_flight`: the operation did not commit. The retry takes the claim over and runs: exactly right;
 *   - `committed`: the change was made, only its answer is lost. It never runs again: retries get 409
 *     `idempotency_key_answer_lost`, which says so and where to look the result up.
 * Until then (the first request may still be finishing), retries wait up to `waitMs` for the answer and replay it, or
 * get `idempotency_key_in_flight` (409, Retry-After). The mark is also a fence: it only succeeds while the row is still
 * this request's claim, so a request that outlived `abandonAfterMs` and was taken over by a retry rolls its operation
 * back (409 `idempotency_key_in_flight`) instead of committing it a second time.
 */
export interface IdempotencySettings {
  /** How long a key and its answer are kept (24 h). */
  ttlMs: number;
  /** How long a request whose key is in flight elsewhere waits for that answer before 409 (20 s). */
  waitMs: number;
  /**
   * A claim older than this belongs to a process that died: an `in_flight` one is taken over by a retry, a `committed`
   * one answers `answer_lost` (2 min).
   */
  abandonAfterMs: number;
}

export const IDEMPOTENCY_DEFAULTS: IdempotencySettings = {
  ttlMs: 24 * 3600 * 1000,
  waitMs: 20_000,
  abandonAfterMs: 120_000,
};

/** 1 to 255 printable ASCII characters (a UUID is the usual choice). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

export interface IdempotentRequest {
  resellerId: string;
  /** The `Idempotency-Key` header as sent. Only its SHA-256 is stored. */
  key: string;
  /**
   * The secret the request authenticated with (bearer token or session token). Never stored: its hash binds the key to
   * the credential that made the first request, and it keys the sealing of the stored answer.
   */
  credential: string;
  method: string;
  /** The route pattern, e.g. `/api/v1/clients/:id/license`. */
  route: string;
  /** The concrete path, kept for inspection. */
  path: string;
  params: unknown;
  query: unknown;
  body: unknown;
}

export type Claim =
  /** Ours: run the request, then `completeIdempotencyKey` with this claim. */
  | { outcome: "run"; claim: ClaimHandle }
  /** Answered before: send this again. */
  | { outcome: "replay"; status: number; body: string }
  /** The key belongs to another request (another body, endpoint or credential). */
  | { outcome: "reused" }
  /** The same request is still running elsewhere and did not finish within `waitMs`. */
  | { outcome: "in_flight" }
  /** The first request's change committed but its process died before storing the answer: it must not run again. */
  | { outcome: "answer_lost"; method: string; path: string; receivedAt: string };

export interface ClaimHandle {
  id: string;
  resellerId: string;
  keyHash: string;
  fingerprint: string;
  sealingKey: Buffer;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const iso = (ms: number) => new Date(ms).toISOString();

/** What makes two requests "the same": credential, method, route, params, query and body (keys sorted at every level). */
export function requestFingerprint(r: IdempotentRequest): string {
  return sha256(
    canonicalJson({
      credential: hashSecret(r.credential),
      method: r.method,
      route: r.route,
      params: r.params ?? {},
      query: r.query ?? {},
      // No body and an empty object are the same request: the routes read both as "no fields".
      body: r.body ?? {},
    }),
  );
}

/**
 * Claims the key for this request, or says what to answer instead. Waits (polling the row) while the same request is
 * in flight elsewhere, up to `settings.waitMs`.
 */
export async function claimIdempotencyKey(
  db: Db,
  r: IdempotentRequest,
  settings: IdempotencySettings = IDEMPOTENCY_DEFAULTS,
): Promise<Claim> {
  const keyHash = sha256(r.key);
  const fingerprint = requestFingerprint(r);
  const sealingKey = Buffer.from(hkdfSync("sha256", `${r.credential}\n${r.key}`, r.resellerId, "licensepool idempotency v1", 32));
  const deadline = Date.now() + settings.waitMs;
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    const id = newId("idem");
    const fresh = {
      id,
      method: r.method,
      path: r.path,
      request_hash: fingerprint,
      status: "in_flight" as const,
      response_status: null,
      response_body: null,
      created_at: iso(now),
      expires_at: iso(now + settings.ttlMs),
    };
    const claim: ClaimHandle = { id, resellerId: r.resellerId, keyHash, fingerprint, sealingKey };
    const inserted = await db
      .insertInto("idempotency_keys")
      .values({ ...fresh, reseller_id: r.resellerId, key_hash: keyHash })
      .onConflict((oc) => oc.columns(["reseller_id", "key_hash"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { outcome: "run", claim };

    const row = await db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("reseller_id", "=", r.resellerId)
      .where("key_hash", "=", keyHash)
      .executeTakeFirst();
    if (!row) continue; // released (a 5xx) or purged between our insert and read: claim it again

    const expired = row.expires_at <= iso(now);
    const abandoned = row.status !== "done" && row.created_at <= iso(now - settings.abandonAfterMs);
    if (expired || (abandoned && row.status === "in_flight" && row.request_hash === fingerprint)) {
      // Compare-and-swap on the row's claim id and status: of several retries taking it over at once, one wins, and
      // none wins over a claim that its operation marked committed meanwhile (that mark holds the row until COMMIT).
      const taken = await db
        .updateTable("idempotency_keys")
        .set(fresh)
        .where("reseller_id", "=", r.resellerId)
        .where("key_hash", "=", keyHash)
        .where("id", "=", row.id)
        .where("status", "=", row.status)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) > 0) return { outcome: "run", claim };
      continue;
    }
    if (row.request_hash !== fingerprint) return { outcome: "reused" };
    if (row.status === "done" && row.response_status !== null && row.response_body !== null)
      return { outcome: "replay", status: row.response_status, body: unseal(row.response_body, sealingKey, fingerprint) };
    if (abandoned && row.status === "committed")
      return { outcome: "answer_lost", method: row.method, path: row.path, receivedAt: row.created_at };
    if (Date.now() >= deadline) return { outcome: "in_flight" };
    await sleep(Math.min(250, 10 * 2 ** attempt));
  }
}

/**
 * Marks the claim `committed`, through the operation's own transaction, as its last statement before COMMIT (see the
 * top of this file): from then on a retry never runs the operation again. Throws, rolling the operation back, when the
 * row is no longer this claim (a retry took it over as abandoned, and runs the operation itself).
 */
export async function markIdempotencyKeyCommitted(trx: Tx, claim: ClaimHandle): Promise<void> {
  const marked = await trx
    .updateTable("idempotency_keys")
    .set({ status: "committed" })
    .where("reseller_id", "=", claim.resellerId)
    .where("key_hash", "=", claim.keyHash)
    .where("id", "=", claim.id)
    // `committed` too: a second transaction of the same request may mark again.
    .where("status", "in", ["in_flight", "committed"])
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) === 0)
    throw new AppError(
      "idempotency_key_in_flight",
      "This request took so long that a retry with its Idempotency-Key took over; nothing was changed here. Retry shortly to get that request's answer.",
      { retry_after_s: 1 },
    );
}

/**
 * Stores the answer of a claimed request (2xx and 4xx: they are what the request did), or releases the claim on a 5xx
 * if nothing was committed, so a retry can run (a claim marked `committed` stays: its retries learn the change was
 * made). False when nothing was stored or released: the claim was taken over as abandoned, or a 5xx followed a commit.
 */
export async function completeIdempotencyKey(db: Db, claim: ClaimHandle, status: number, body: string): Promise<boolean> {
  if (status >= 500) return releaseIdempotencyKey(db, claim);
  const done = await db
    .updateTable("idempotency_keys")
    .set({ status: "done", response_status: status, response_body: seal(body, claim.sealingKey, claim.fingerprint) })
    .where("reseller_id", "=", claim.resellerId)
    .where("key_hash", "=", claim.keyHash)
    .where("id", "=", claim.id)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

/** Deletes a claim whose operation committed nothing, so the key is free for a retry. */
export async function releaseIdempotencyKey(db: Db, claim: ClaimHandle): Promise<boolean> {
  const gone = await db
    .deleteFrom("idempotency_keys")
    .where("reseller_id", "=", claim.resellerId)
    .where("key_hash", "=", claim.keyHash)
    .where("id", "=", claim.id)
    .where("status", "=", "in_flight")
    .executeTakeFirst();
  return Number(gone.numDeletedRows) > 0;
}

/** Deletes keys past their 24 h (one indexed range delete); the server calls it at most once a minute. */
export async function purgeExpiredIdempotencyKeys(db: Db, now = Date.now()): Promise<number> {
  const r = await db.deleteFrom("idempotency_keys").where("expires_at", "<=", iso(now)).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Answers can hold one-time secrets (a new client's site key, a rotated API key) that are otherwise only ever stored
 * hashed. They are sealed with AES-256-GCM under a key derived (HKDF) from the caller's credential and the idempotency
 * key, neither of which the database holds, and bound to the request fingerprint: a copy of the database alone does not
 * reveal them.
 */
function seal(plaintext: string, key: Buffer, fingerprint: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(fingerprint));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

function unseal(sealed: string, key: Buffer, fingerprint: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || iv === undefined || tag === undefined || body === undefined)
    throw new Error("idempotency record: unknown sealing format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(fingerprint));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
