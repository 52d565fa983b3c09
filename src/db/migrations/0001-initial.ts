import { type Kysely, type Migration, sql } from "kysely";

/** Portable migrations: only types and constraints both SQLite and PostgreSQL understand. */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("resellers")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("email", "text", (c) => c.notNull().unique())
      .addColumn("api_key_hash", "text", (c) => c.notNull().unique())
      .addColumn("api_key_prefix", "text", (c) => c.notNull())
      // Name and email folded in JS: SQLite's lower() and LIKE only fold ASCII letters.
      .addColumn("search_text", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("users")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("email", "text", (c) => c.notNull().unique())
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('reseller', 'support')`))
      .addColumn("reseller_id", "text", (c) => c.references("resellers.id").onDelete("cascade"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("sessions")
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("csrf_token", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("support_tokens")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("token_prefix", "text", (c) => c.notNull())
      .addColumn("label", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("plans")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("license_type", "text", (c) => c.notNull())
      .addColumn("slots", "integer", (c) => c.notNull().check(sql`slots > 0`))
      .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('plan', 'top_up')`))
      .addColumn("price_cents", "integer", (c) => c.notNull())
      .addColumn("sort_order", "integer", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("pools")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("reseller_id", "text", (c) => c.notNull().references("resellers.id").onDelete("cascade"))
      .addColumn("license_type", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("total", "integer", (c) => c.notNull())
      .addColumn("used", "integer", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('plan', 'top_up', 'adjustment')`))
      .addColumn("created_at", "text", (c) => c.notNull())
      // The sacred invariant, enforced by the database as a last line of defence behind the conditional updates.
      .addCheckConstraint("pools_used_within_total", sql`used >= 0 and used <= total`)
      .execute();
    await db.schema.createIndex("pools_by_reseller").on("pools").columns(["reseller_id", "id"]).execute();
    await db.schema
      .createTable("purchases")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("reseller_id", "text", (c) => c.notNull().references("resellers.id").onDelete("cascade"))
      .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
      .addColumn("pool_id", "text", (c) => c.notNull().references("pools.id").onDelete("cascade"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("purchases_by_reseller").on("purchases").columns(["reseller_id", "id"]).execute();
    await db.schema
      .createTable("clients")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("reseller_id", "text", (c) => c.notNull().references("resellers.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("site_url", "text", (c) => c.notNull())
      .addColumn("site_norm", "text", (c) => c.notNull())
      // Lower-cased name and site, kept on write so search is one LIKE per row instead of two lower() calls.
      .addColumn("search_text", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('active', 'suspended')`))
      .addColumn("site_key_hash", "text", (c) => c.notNull().unique())
      .addColumn("site_key_prefix", "text", (c) => c.notNull())
      .addColumn("last_check_in_at", "text")
      .addColumn("plugin_version", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addUniqueConstraint("clients_one_site_per_reseller", ["reseller_id", "site_norm"])
      .execute();
    // Covers newest-first listing and search: the LIKE runs on index entries, and only matching rows are read.
    await db.schema.createIndex("clients_by_reseller").on("clients").columns(["reseller_id", "id", "search_text"]).execute();
    await db.schema
      .createTable("licenses")
      .addColumn("id", "text", (c) => c.primaryKey())
      // unique: a client holds at most one license, whatever races happen above.
      .addColumn("client_id", "text", (c) => c.notNull().unique().references("clients.id").onDelete("cascade"))
      .addColumn("pool_id", "text", (c) => c.notNull().references("pools.id").onDelete("cascade"))
      .addColumn("reseller_id", "text", (c) => c.notNull().references("resellers.id").onDelete("cascade"))
      .addColumn("allocated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("licenses_by_pool").on("licenses").columns(["pool_id", "id"]).execute();
    await db.schema
      .createTable("pool_requests")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("reseller_id", "text", (c) => c.notNull().references("resellers.id").onDelete("cascade"))
      .addColumn("pool_id", "text", (c) => c.notNull().references("pools.id").onDelete("cascade"))
      .addColumn("requested_total", "integer", (c) => c.notNull())
      .addColumn("current_total", "integer", (c) => c.notNull())
      .addColumn("note", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending', 'approved', 'declined')`))
      .addColumn("decision_reason", "text")
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("pool_requests_by_reseller").on("pool_requests").columns(["reseller_id", "id"]).execute();
    await db.schema.createIndex("pool_requests_by_status").on("pool_requests").columns(["status", "id"]).execute();
    await db.schema
      .createTable("activity")
      .addColumn("id", "text", (c) => c.primaryKey())
      // No foreign keys: the audit trail outlives the clients and pools it speaks of.
      .addColumn("reseller_id", "text")
      .addColumn("actor", "text", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("subject_type", "text", (c) => c.notNull())
      .addColumn("subject_id", "text", (c) => c.notNull())
      .addColumn("client_id", "text")
      .addColumn("client_name", "text")
      .addColumn("pool_id", "text")
      // A second pool the change touched (the pool a reissued license left), so ?pool_id= finds it from both sides.
      .addColumn("other_pool_id", "text")
      .addColumn("before_json", "text")
      .addColumn("after_json", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("activity_by_reseller").on("activity").columns(["reseller_id", "id"]).execute();
    await db.schema.createIndex("activity_by_client").on("activity").columns(["reseller_id", "client_id", "id"]).execute();
    await db.schema.createIndex("activity_by_pool").on("activity").columns(["reseller_id", "pool_id", "id"]).execute();
    await db.schema
      .createIndex("activity_by_other_pool")
      .on("activity")
      .columns(["reseller_id", "other_pool_id", "id"])
      .execute();
    await db.schema.createIndex("activity_by_action").on("activity").columns(["reseller_id", "action", "id"]).execute();
    await db.schema
      .createTable("signing_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("public_key_pem", "text", (c) => c.notNull())
      .addColumn("private_key_pem", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
  },
};
