import { type Kysely, type Migration, sql } from "kysely";
import { monotonicFactory } from "ulid";

const ulid = monotonicFactory();

/**
 * Access (issue: reseller users, API keys, login). Portable: text and integer columns, CHECKs both dialects understand.
 *
 * - `users.reseller_role` (owner / staff / viewer; null for support users). A new column rather than a wider
 *   `users.role` CHECK, because SQLite cannot alter a CHECK constraint. Every existing reseller user becomes an owner.
 * - `api_keys`: several keys per reseller, each scoped `read` or `read_write`, revocable, with its last use. Each
 *   reseller's one key moves here as a read-write key. The old `resellers.api_key_hash/api_key_prefix` columns stay
 *   (SQLite cannot drop a UNIQUE column) but are blanked to a non-secret placeholder: nothing authenticates with them.
 * - `invites`: one-time invite links (only the token's hash is kept) for a reseller's new users.
 * - `login_throttles`: failed sign-ins per email and per client address, for the temporary lockout.
 * - `sessions.last_seen_at`: for the idle timeout; an index to sign a user out everywhere.
 */
export const access: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("users")
      .addColumn("reseller_role", "text", (c) => c.check(sql`reseller_role in ('owner', 'staff', 'viewer')`))
      .execute();
    await db.schema.alterTable("users").addColumn("name", "text").execute();
    await sql`update users set reseller_role = 'owner' where role = 'reseller'`.execute(db);
    await db.schema.createIndex("users_by_reseller").on("users").columns(["reseller_id", "id"]).execute();

    await db.schema.alterTable("sessions").addColumn("last_seen_at", "text").execute();
    await db.schema.createIndex("sessions_by_user").on("sessions").columns(["user_id"]).execute();

    await db.schema
      .createTable("api_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("reseller_id", "text", (c) => c.notNull().references("resellers.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull().unique())
      .addColumn("scope", "text", (c) => c.notNull().check(sql`scope in ('read', 'read_write')`))
      .addColumn("created_at", "text", (c) => c.notNull())
      // The activity-log actor that made it (`user x@y`, `cli`, `system`): no foreign key, users come and go.
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("last_used_at", "text")
      .addColumn("revoked_at", "text")
      .addColumn("revoked_by", "text")
      .execute();
    await db.schema.createIndex("api_keys_by_reseller").on("api_keys").columns(["reseller_id", "id"]).execute();

    const resellers = await sql<{ id: string; api_key_hash: string; api_key_prefix: string; created_at: string }>`
      select id, api_key_hash, api_key_prefix, created_at from resellers`.execute(db);
    for (const r of resellers.rows) {
      await sql`insert into api_keys (id, reseller_id, name, prefix, hash, scope, created_at, created_by)
        values (${`key_${ulid().toLowerCase()}`}, ${r.id}, ${"API key"}, ${r.api_key_prefix}, ${r.api_key_hash},
                ${"read_write"}, ${r.created_at}, ${"migration"})`.execute(db);
    }
    // The legacy columns are NOT NULL UNIQUE: a per-reseller placeholder, never a hash of a live secret.
    await sql`update resellers set api_key_hash = 'unused:' || id, api_key_prefix = ''`.execute(db);

    await db.schema
      .createTable("invites")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("reseller_id", "text", (c) => c.notNull().references("resellers.id").onDelete("cascade"))
      .addColumn("email", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('owner', 'staff', 'viewer')`))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("invited_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("accepted_at", "text")
      .addColumn("accepted_user_id", "text")
      .execute();
    await db.schema.createIndex("invites_by_reseller").on("invites").columns(["reseller_id", "id"]).execute();

    await db.schema
      .createTable("login_throttles")
      // SHA-256 of `email:<address>` or `ip:<address>`: what was typed into the email box is not kept in clear.
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("failures", "integer", (c) => c.notNull())
      .addColumn("window_started_at", "text", (c) => c.notNull())
      .addColumn("locked_until", "text")
      .execute();
  },
};
