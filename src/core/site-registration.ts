import { isUniqueViolation } from "../db/connect.js";
import type { DbOrTx } from "../db/schema.js";
import { AppError } from "./app-error.js";

/**
 * Runs a client insert/update that sets `site_norm`, turning "this reseller already has that site" into
 * `site_already_registered`. The look-up names the existing client; the unique constraint settles races.
 */
export async function insertOrConflict(
  trx: DbOrTx,
  resellerId: string,
  siteKey: string,
  write: () => Promise<unknown>,
  exceptClientId?: string,
): Promise<void> {
  let query = trx
    .selectFrom("clients")
    .select(["id", "name"])
    .where("reseller_id", "=", resellerId)
    .where("site_norm", "=", siteKey);
  if (exceptClientId) query = query.where("id", "!=", exceptClientId);
  const existing = await query.executeTakeFirst();
  if (existing) throw siteTaken(existing.id, existing.name);
  try {
    await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw siteTaken(null, null);
    throw err;
  }
}

function siteTaken(clientId: string | null, name: string | null): AppError {
  return new AppError(
    "site_already_registered",
    name ? `This site is already registered as client "${name}".` : "This site is already registered.",
    { field: "site_url", ...(clientId ? { client_id: clientId } : {}) },
  );
}
