/**
 * Every application table, parents before children (the order foreign keys allow inserts in), each with a
 * single-column unique key to page through it. `db copy` walks this list; a test checks it against the migrated schema,
 * so a new table that is not listed here fails the build instead of being silently left behind by a copy.
 */
export const TABLES_IN_DEPENDENCY_ORDER: ReadonlyArray<{ table: string; key: string }> = [
  { table: "plans", key: "id" },
  { table: "resellers", key: "id" },
  { table: "users", key: "id" },
  { table: "sessions", key: "token_hash" },
  { table: "api_keys", key: "id" },
  { table: "invites", key: "id" },
  { table: "login_throttles", key: "key" },
  { table: "support_tokens", key: "id" },
  { table: "pools", key: "id" },
  { table: "purchases", key: "id" },
  { table: "clients", key: "id" },
  { table: "licenses", key: "id" },
  { table: "license_documents", key: "client_id" },
  { table: "pool_requests", key: "id" },
  { table: "activity", key: "id" },
  { table: "signing_keys", key: "id" },
  { table: "idempotency_keys", key: "id" },
];

/** Kysely's own bookkeeping: each database migrates itself, so these are never copied. */
export const isMigrationTable = (name: string) => name.startsWith("kysely_migration");
