import type { Kysely } from "kysely";
import { connect, parseDatabaseUrl } from "./connect.js";
import { migrate } from "./migrations.js";
import { isMigrationTable, TABLES_IN_DEPENDENCY_ORDER } from "./tables.js";

/** A refusal the operator can act on (printed as one line by the CLI), not a bug. */
export class CopyRefused extends Error {
  readonly userFacing = true;
}

export interface CopyOptions {
  force?: boolean;
  batchSize?: number;
  /** Called after each table with its copied row count, for progress output. */
  onTable?: (table: string, rows: number) => void;
}

// biome-ignore lint/suspicious/noExplicitAny: the copier walks tables by name, outside the typed schema.
type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;

/**
 * Moves a whole deployment from one database to another (typically SQLite to PostgreSQL): both are migrated to the
 * latest schema, every table is copied in dependency order inside ONE target transaction, and per-table row counts are
 * compared before it commits, so the target ends up either a verified copy or untouched.
 * The target must be empty apart from the seeded plan catalog (which the source's replaces) unless `force` is given,
 * in which case its rows are deleted first, in the same transaction.
 */
export async function copyDatabase(fromUrl: string, toUrl: string, opts: CopyOptions = {}): Promise<Record<string, number>> {
  const from = parseDatabaseUrl(fromUrl);
  const to = parseDatabaseUrl(toUrl);
  if (from.dialect === to.dialect && from.target === to.target) throw new CopyRefused("--from and --to are the same database");
  const source = connect(fromUrl) as AnyDb;
  const target = connect(toUrl) as AnyDb;
  try {
    await migrate(source);
    await migrate(target);
    await checkEveryTableIsListed(source);
    const boolColumns = await booleanColumns(target);
    const counts = await countRows(source);
    const present = await countRows(target);
    const occupied = Object.entries(present).filter(([t, n]) => n > 0 && t !== "plans");
    if (occupied.length > 0 && !opts.force)
      throw new CopyRefused(
        `the target already holds data (${occupied.map(([t, n]) => `${t}: ${n}`).join(", ")}); add --force to replace it`,
      );
    await target.transaction().execute(async (trx) => {
      for (const { table } of [...TABLES_IN_DEPENDENCY_ORDER].reverse()) await trx.deleteFrom(table).execute();
      for (const { table, key } of TABLES_IN_DEPENDENCY_ORDER) {
        const copied = await copyTable(source, trx, table, key, boolColumns.get(table), opts.batchSize ?? 500);
        const landed = Number(
          (
            await trx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirst()
          )?.n,
        );
        if (copied !== counts[table] || landed !== counts[table])
          throw new Error(`${table}: source has ${counts[table]} rows, copied ${copied}, target holds ${landed}; rolled back`);
        opts.onTable?.(table, landed);
      }
    });
    return counts;
  } finally {
    await Promise.all([source.destroy(), target.destroy()]);
  }
}

async function checkEveryTableIsListed(db: AnyDb): Promise<void> {
  const listed = new Set(TABLES_IN_DEPENDENCY_ORDER.map((t) => t.table));
  const missing = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !isMigrationTable(n) && !listed.has(n));
  if (missing.length) throw new Error(`tables not in TABLES_IN_DEPENDENCY_ORDER (src/db/tables.ts): ${missing.join(", ")}`);
}

async function countRows(db: AnyDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table } of TABLES_IN_DEPENDENCY_ORDER)
    out[table] = Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  return out;
}

/** SQLite keeps booleans as 0/1 and PostgreSQL wants true/false: the target's column types decide. */
async function booleanColumns(db: AnyDb): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (const t of await db.introspection.getTables())
    map.set(t.name, new Set(t.columns.filter((c) => /^bool/i.test(c.dataType)).map((c) => c.name)));
  return map;
}

/** Keyset pagination on the table's unique key: constant cost per page however large the table is. */
async function copyTable(
  source: AnyDb,
  trx: AnyDb,
  table: string,
  key: string,
  bools: Set<string> | undefined,
  batchSize: number,
): Promise<number> {
  let after: unknown = null;
  let copied = 0;
  for (;;) {
    let q = source.selectFrom(table).selectAll().orderBy(key).limit(batchSize);
    if (after !== null) q = q.where(key, ">", after);
    const rows: Row[] = await q.execute();
    if (rows.length === 0) return copied;
    const values = bools?.size ? rows.map((r) => withBooleans(r, bools)) : rows;
    await trx.insertInto(table).values(values).execute();
    copied += rows.length;
    after = rows[rows.length - 1]?.[key];
  }
}

function withBooleans(row: Row, bools: Set<string>): Row {
  const out = { ...row };
  for (const c of bools) if (typeof out[c] === "number") out[c] = out[c] === 1;
  return out;
}

/** Row counts of every application table, for printing after a copy or checking one by hand. */
export async function tableCounts(url: string): Promise<Record<string, number>> {
  const db = connect(url) as AnyDb;
  try {
    return await countRows(db);
  } finally {
    await db.destroy();
  }
}
