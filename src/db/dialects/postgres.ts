import { type Dialect, PostgresDialect } from "kysely";
import pg from "pg";
import { type PreparedReader, statementName } from "../prepared.js";
import type { DbSettings } from "../settings.js";

export function postgresDialect(connectionString: string, settings: DbSettings): { dialect: Dialect; reader: PreparedReader } {
  const pool = new pg.Pool({
    connectionString,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    // Set per connection by the server itself, so a runaway query or a stuck transaction cannot hold row locks forever.
    statement_timeout: settings.statementTimeoutMs || undefined,
    idle_in_transaction_session_timeout: settings.statementTimeoutMs || undefined,
  });
  // An idle pooled connection that the server drops (a restart, a failover, pg_terminate_backend) emits 'error' on the
  // pool; unhandled, that would crash the process. The pool replaces the connection; the next query reconnects.
  pool.on("error", () => {});
  const reader: PreparedReader = async (sql, params) =>
    (await pool.query({ name: statementName(sql), text: sql, values: params as unknown[] })).rows;
  return { dialect: new PostgresDialect({ pool }), reader };
}

/** Both carry the violated constraint's name in `constraint`, which callers use to tell which rule was broken. */
export function isPgUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "23505";
}
export function isPgForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "23503";
}
