import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { type Dialect, SqliteDialect } from "kysely";

export function sqliteDialect(file: string): Dialect {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers (the CLI, a second server) work while the server writes; the busy timeout makes
  // concurrent writers from other processes wait instead of failing; SQLite leaves FK checks off unless asked.
  database.pragma("journal_mode = WAL");
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  database.pragma("synchronous = NORMAL");
  return new SqliteDialect({ database });
}

export function isSqliteUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
export function isSqliteForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "SQLITE_CONSTRAINT_FOREIGNKEY";
}
