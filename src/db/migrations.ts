import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import { initial } from "./migrations/0001-initial.js";
import { licenseDocuments } from "./migrations/0002-license-documents.js";

/**
 * Every schema change, in order, for both dialects. One file per migration under migrations/; add new ones here.
 * Names sort lexically, so keep the four-digit prefix.
 */
const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_license_documents": licenseDocuments,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
}
