import type { Kysely } from "kysely";
import { seedCatalog } from "../core/catalog.js";
import { connect } from "./connect.js";
import { migrate } from "./migrations.js";
import type { Db } from "./schema.js";

/** Connects to DATABASE_URL (or the given URL), brings the schema up to date and seeds the plan catalog. */
export async function openDatabase(url?: string): Promise<Db> {
  const db = connect(url);
  await migrate(db as unknown as Kysely<unknown>); // migrations are written against no fixed schema
  await seedCatalog(db);
  return db;
}
