import { type Dialect, PostgresDialect } from "kysely";
import pg from "pg";
import type { DbSettings } from "../settings.js";

export function postgresDialect(connectionString: string, settings: DbSettings): Dialect {
  const pool = new pg.Pool({
    connectionString,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    // Set per connection by the server itself, so a runaway query or a stuck transaction cannot hold row locks forever.
    statement_timeout: settings.statementTimeoutMs || undefined,
    idle_in_transaction_session_timeout: settings.statementTimeoutMs || undefined,
  });
  return new PostgresDialect({ pool });
}

/** Both carry the violated constraint's name in `constraint`, which callers use to tell which rule was broken. */
export function isPgUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "23505";
}
export function isPgForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "23503";
}
