import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import { initial } from "./migrations/0001-initial.js";
import { licenseDocuments } from "./migrations/0002-license-documents.js";
import { access } from "./migrations/0003-access.js";
import { idempotency } from "./migrations/0004-idempotency.js";

/**
 * Every schema change, in order, for both dialects. One file per migration under migrations/; add new ones here.
 * Names sort lexically, so keep the four-digit prefix.
 */
const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_license_documents": licenseDocuments,
  "0003_access": access,
  "0004_idempotency": idempotency,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
}

/** Migrates up to and including `name` only: tests use it to build a database as an older release left it. */
export async function migrateTo(db: Kysely<unknown>, name: string): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateTo(name);
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
}
