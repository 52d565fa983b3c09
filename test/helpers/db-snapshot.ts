import { createHash } from "node:crypto";
import { sql } from "kysely";
import { connect } from "../../src/db/connect.js";
import { dbSettingsFromEnv } from "../../src/db/settings.js";

/** Every row of every table (Kysely's own migration tables aside), each row as JSON, rows sorted. */
export type Snapshot = Record<string, string[]>;

export interface RowDiff {
  table: string;
  removed: string[];
  added: string[];
}

/**
 * Columns that a request may legitimately write without changing anything the caller asked for:
 * - `api_keys.last_used_at`: stamped (at most once a minute) by any request authenticated with that key, rejected or not;
 * - `sessions.last_seen_at`: the idle timeout's clock, stamped the same way by cookie-authenticated requests.
 * Nothing else is left out: a changed row anywhere else (another column of those tables included) is a change.
 */
export const TOUCHED_BY_READS: Readonly<Record<string, readonly string[]>> = {
  api_keys: ["last_used_at"],
  sessions: ["last_seen_at"],
};

/**
 * A second handle on a test server's database (the SQLite file, or the PostgreSQL database startServer made): it sees
 * only committed data, so a snapshot taken after an answer shows exactly what that request left behind.
 */
export function openSnapshots(databaseUrl: string, ignore: Readonly<Record<string, readonly string[]>> = TOUCHED_BY_READS) {
  const db = connect(databaseUrl, { ...dbSettingsFromEnv(), poolSize: 2, txRetries: 0 });
  let tables: string[] | null = null;

  async function snapshot(): Promise<Snapshot> {
    // Listed once: the schema does not change while a server runs.
    tables ??= (await db.introspection.getTables()).map((t) => t.name).sort();
    const out: Snapshot = {};
    for (const table of tables) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
      const skip = ignore[table] ?? [];
      out[table] = rows
        .map((row) =>
          JSON.stringify(
            Object.keys(row)
              .filter((k) => !skip.includes(k))
              .sort()
              .map((k) => [k, normalise(row[k])]),
          ),
        )
        .sort();
    }
    return out;
  }

  return {
    snapshot,
    /** Row counts plus a hash of every table's rows (but `skip`): cheap to compare after each of thousands of requests. */
    async checksum(skip: readonly string[] = []): Promise<string> {
      const snap = await snapshot();
      for (const table of skip) delete snap[table];
      const hash = createHash("sha256");
      for (const [table, rows] of Object.entries(snap)) hash.update(`${table}:${rows.length}:${rows.join("\n")}\n`);
      return `${Object.entries(snap)
        .map(([t, rows]) => `${t}=${rows.length}`)
        .join(",")}#${hash.digest("hex").slice(0, 16)}`;
    },
    close: () => db.destroy(),
  };
}
export type Snapshots = ReturnType<typeof openSnapshots>;

/** The same value however the driver hands it over (PostgreSQL bigint as text, SQLite integers as numbers). */
function normalise(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString("base64");
  return value;
}

/** Rows that are in one snapshot and not the other, per table; empty when nothing changed. */
export function diffSnapshots(before: Snapshot, after: Snapshot): RowDiff[] {
  const diffs: RowDiff[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = new Set(before[table] ?? []);
    const b = new Set(after[table] ?? []);
    const removed = [...a].filter((r) => !b.has(r));
    const added = [...b].filter((r) => !a.has(r));
    if (removed.length || added.length) diffs.push({ table, removed, added });
  }
  return diffs;
}
