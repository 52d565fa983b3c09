import { resolve } from "node:path";
import { Kysely } from "kysely";
import { isPgForeignKeyViolation, isPgUniqueViolation, postgresDialect } from "./dialects/postgres.js";
import { isSqliteForeignKeyViolation, isSqliteUniqueViolation, sqliteDialect } from "./dialects/sqlite.js";
import { type PreparedReader, registerPreparedReader } from "./prepared.js";
import type { Database, Db } from "./schema.js";
import { type DbSettings, dbSettingsFromEnv } from "./settings.js";
import { retryTransactions } from "./transaction-retry.js";

export const DEFAULT_DATABASE_URL = "sqlite:./data/licensepool.db";

export type DialectName = "sqlite" | "postgres";

/** `sqlite:path/file.db` (relative to the working directory) or `postgres://...` / `postgresql://...`. */
export function parseDatabaseUrl(url: string): { dialect: DialectName; target: string } {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (!path) throw new Error("DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/licensepool.db");
    return { dialect: "sqlite", target: path === ":memory:" ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: "postgres", target: url };
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(":")[0]}:...")`);
}

/** `onQuery` sees every statement's SQL: benchmarks use it to count what an operation costs in round trips. */
export function connect(
  url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
  settings: DbSettings = dbSettingsFromEnv(),
  onQuery?: (sql: string) => void,
): Db {
  const { dialect, target } = parseDatabaseUrl(url);
  const { dialect: kyselyDialect, reader } =
    dialect === "sqlite" ? sqliteDialect(target, settings) : postgresDialect(target, settings);
  const db = new Kysely<Database>({
    dialect: kyselyDialect,
    ...(onQuery ? { log: (event) => onQuery(event.query.sql) } : {}),
  });
  registerPreparedReader(db, onQuery ? countingReader(reader, onQuery) : reader);
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await destroy();
    reader.close?.();
  };
  return retryTransactions(db, settings.txRetries);
}

const countingReader =
  (reader: PreparedReader, onQuery: (sql: string) => void): PreparedReader =>
  (sql, params) => {
    onQuery(sql);
    return reader(sql, params);
  };

/** Dialect quirks in one place: constraint violations look different in each driver. */
export function isUniqueViolation(err: unknown): boolean {
  return isSqliteUniqueViolation(err) || isPgUniqueViolation(err);
}
export function isForeignKeyViolation(err: unknown): boolean {
  return isSqliteForeignKeyViolation(err) || isPgForeignKeyViolation(err);
}
/** Which unique rule a violation broke: PostgreSQL names the constraint, SQLite names the columns. */
export function violatedConstraint(err: unknown): string {
  const e = err as { constraint?: string; message?: string } | null;
  return e?.constraint ?? e?.message ?? "";
}

/**
 * The database was too busy to answer in time: a lock wait or statement timeout, a deadlock or serialization failure
 * that outlasted DB_TX_RETRIES, or no pooled connection free within DB_CONNECT_TIMEOUT_MS. Nothing was committed,
 * so the client may simply retry: the API answers 503 with Retry-After rather than a bare 500.
 */
export function isDatabaseBusy(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (["40001", "40P01", "57014", "55P03", "SQLITE_BUSY"].includes(e?.code ?? "")) return true;
  return /timeout exceeded when trying to connect/i.test(e?.message ?? "");
}
