import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, SqliteDialect, SqliteDriver } from "kysely";
import type { PreparedReader } from "../prepared.js";
import type { DbSettings } from "../settings.js";

/**
 * `BEGIN IMMEDIATE` instead of Kysely's plain `BEGIN`: a deferred transaction that reads first and writes later must
 * upgrade its lock, and when another process (a second server, the CLI) holds the write lock SQLite fails that upgrade at
 * once with SQLITE_BUSY instead of waiting. Taking the write lock up front lets busy_timeout queue writers instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SQLite.Database) {
    super({ database });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

export function sqliteDialect(file: string, settings: DbSettings): { dialect: Dialect; reader: PreparedReader } {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers work while a writer commits; busy_timeout makes writers from other processes wait their turn;
  // SQLite leaves foreign keys unenforced unless asked.
  database.pragma("journal_mode = WAL");
  database.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  database.pragma("foreign_keys = ON");
  database.pragma("synchronous = NORMAL");
  return { dialect: new ImmediateSqliteDialect(database), reader: sqliteReader(file, database, settings) };
}

/**
 * Hot-path reads go through a second, read-only connection: the main one may be inside another request's open
 * transaction between its awaits, and a read there would see writes that might still roll back. In WAL mode this
 * reader sees exactly what was committed, and never waits for a writer.
 */
function sqliteReader(file: string, main: SQLite.Database, settings: DbSettings): PreparedReader {
  const db = file === ":memory:" ? main : new SQLite(file, { readonly: true, fileMustExist: true });
  if (db !== main) db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  const statements = new Map<string, SQLite.Statement>();
  const reader: PreparedReader = async (sql, params) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement.all(...params);
  };
  if (db !== main) reader.close = () => db.close();
  return reader;
}

export function isSqliteUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
export function isSqliteForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "SQLITE_CONSTRAINT_FOREIGNKEY";
}
