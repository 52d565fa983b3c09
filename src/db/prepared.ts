import { createHash } from "node:crypto";
import type { Compilable } from "kysely";
import type { Db } from "./schema.js";

/** Runs one SQL text with parameters as a prepared statement, outside any transaction, seeing committed data only. */
export type PreparedReader = ((sql: string, params: readonly unknown[]) => Promise<unknown[]>) & { close?: () => void };

const readers = new WeakMap<object, PreparedReader>();

/** connect() registers each handle's reader: the dialect files know how to prepare once and reuse. */
export function registerPreparedReader(db: object, reader: PreparedReader): void {
  readers.set(db, reader);
}

/**
 * A read for a hot path (check-in): built and type-checked with Kysely once, then run as a statement prepared once per
 * connection, skipping per-call query building and re-preparing (most of a check-in's cost otherwise). The query is
 * compiled with placeholder parameters; each call passes the real ones in the same order.
 */
export function preparedRead<R>(db: Db, query: Compilable<R>): (...params: unknown[]) => Promise<R | undefined> {
  const { sql } = query.compile();
  const reader = readers.get(db);
  if (!reader) throw new Error("this database handle has no prepared reader; open it with connect()");
  return async (...params) => (await reader(sql, params))[0] as R | undefined;
}

/** PostgreSQL names prepared statements; the same text always gets the same name. */
export const statementName = (sql: string) => `lp_${createHash("sha1").update(sql).digest("hex").slice(0, 16)}`;
