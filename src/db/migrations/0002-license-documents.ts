import type { Kysely, Migration } from "kysely";

/**
 * Signed license documents (issue: plugin side). A client's document is signed when its license state changes, not on
 * every check-in, so check-ins stay one read; `license_revision` orders documents so a plugin can refuse replays.
 * Signing keys learn when they stopped signing (so they can be delisted once their documents expired) and carry an
 * endorsement: the new public key signed by the key it replaced, so a pinned plugin can follow a rotation safely.
 */
export const licenseDocuments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("clients")
      .addColumn("license_revision", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable("license_documents")
      .addColumn("client_id", "text", (c) => c.primaryKey().references("clients.id").onDelete("cascade"))
      .addColumn("revision", "integer", (c) => c.notNull())
      .addColumn("kid", "text", (c) => c.notNull())
      // What was signed, kept beside the bytes so a check-in can tell whether the document still says the truth
      // without decoding it.
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("license_type", "text")
      .addColumn("site_url", "text", (c) => c.notNull())
      .addColumn("issued_at", "text", (c) => c.notNull())
      .addColumn("valid_until", "text", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("signature", "text", (c) => c.notNull())
      .execute();
    // Covers the check-in hot read (site key -> client and revision) without touching the table.
    await db.schema
      .createIndex("clients_by_site_key")
      .on("clients")
      .columns(["site_key_hash", "id", "license_revision"])
      .execute();
    await db.schema.alterTable("signing_keys").addColumn("superseded_at", "text").execute();
    await db.schema.alterTable("signing_keys").addColumn("endorsed_by", "text").execute();
    await db.schema.alterTable("signing_keys").addColumn("endorsement", "text").execute();
  },
};
