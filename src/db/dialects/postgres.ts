import { type Dialect, PostgresDialect } from "kysely";
import pg from "pg";

export function postgresDialect(connectionString: string): Dialect {
  return new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 10 }) });
}

/** Both carry the violated constraint's name in `constraint`, which callers use to tell which rule was broken. */
export function isPgUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "23505";
}
export function isPgForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "23503";
}
