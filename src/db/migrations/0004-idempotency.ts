import { type Kysely, type Migration, sql } from "kysely";

/**
 * Idempotency keys (issue: retries and concurrency). One row per reseller and `Idempotency-Key`, kept 24 h: a claim
 * (`in_flight`) while the first request runs, `committed` by the operation's own transaction once its change commits,
 * then its answer (`done`). It lives in the database, not in a process, so a retry that lands on another app server
 * (N servers on PostgreSQL, two processes on one SQLite file) finds it.
 *
 * - Primary key (reseller_id, key_hash): two resellers can use the same key string independently, and the insert that
 *   claims a key is a plain `INSERT ... ON CONFLICT DO NOTHING` in both dialects.
 * - `key_hash`: SHA-256 of the key as sent; `request_hash` fingerprints the credential, method, route, params and
 *   canonical body, so the same key on another request is told apart.
 * - `id`: a new ULID each time the row is claimed, the compare-and-swap token for completing or taking over a claim,
 *   and the single-column key `db copy` pages on.
 * - `response_body` is sealed (AES-256-GCM) under a key derived from the caller's credential and the idempotency key,
 *   neither of which is stored: answers carry one-time secrets (site keys, new API keys) that must not sit in the
 *   database in clear.
 * - `expires_at` is indexed so expired rows are purged with one range delete.
 */
export const idempotency: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("idempotency_keys")
      .addColumn("id", "text", (c) => c.notNull().unique())
      .addColumn("reseller_id", "text", (c) => c.notNull().references("resellers.id").onDelete("cascade"))
      .addColumn("key_hash", "text", (c) => c.notNull())
      .addColumn("method", "text", (c) => c.notNull())
      .addColumn("path", "text", (c) => c.notNull())
      .addColumn("request_hash", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('in_flight', 'committed', 'done')`))
      .addColumn("response_status", "integer")
      .addColumn("response_body", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("idempotency_keys_pkey", ["reseller_id", "key_hash"])
      .execute();
    await db.schema.createIndex("idempotency_keys_by_expiry").on("idempotency_keys").columns(["expires_at"]).execute();
  },
};
