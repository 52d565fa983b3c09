import { CHECK_IN_INTERVAL_S, OFFLINE_GRACE_S } from "../contracts/limits.js";
import type { CheckInBody } from "../contracts/schemas.js";
import type { SignedCheckInAnswer } from "../contracts/types.js";
import type { Db } from "../db/schema.js";
import { AppError } from "./app-error.js";
import { decideCheckIn } from "./check-in-decision.js";
import { hashSecret } from "./ids.js";
import type { Signer } from "./signing.js";
import { normaliseSiteUrl } from "./site-url.js";

/**
 * A plugin asks what it is entitled to. One indexed read and one write (last check-in, plugin version); the answer
 * is signed and carries `valid_until`, the end of the offline grace window a plugin may keep trusting it for.
 * Check-ins are heartbeats, not changes: they update the client's last-seen fields but write no audit rows.
 */
export async function checkIn(
  db: Db,
  signer: Signer,
  siteKey: string,
  body: CheckInBody,
  now = new Date(),
): Promise<SignedCheckInAnswer> {
  const row = await db
    .selectFrom("clients")
    .leftJoin("licenses", "licenses.client_id", "clients.id")
    .leftJoin("pools", "pools.id", "licenses.pool_id")
    .select(["clients.id", "clients.status", "clients.site_norm", "pools.license_type"])
    .where("clients.site_key_hash", "=", hashSecret(siteKey))
    .executeTakeFirst();
  if (!row) throw new AppError("unauthorized", "Unknown site key. It may have been regenerated or the client offboarded.");
  if (body.site_url !== undefined && normaliseSiteUrl(body.site_url).key !== row.site_norm) {
    throw new AppError("site_mismatch", "This site key belongs to another site. Ask your provider for this site's key.", {
      field: "site_url",
    });
  }
  const issuedAt = now.toISOString();
  await db
    .updateTable("clients")
    .set({ last_check_in_at: issuedAt, ...(body.plugin_version ? { plugin_version: body.plugin_version } : {}) })
    .where("id", "=", row.id)
    .execute();
  const answer = {
    ...decideCheckIn(row.status, row.license_type ?? null),
    next_check_in_s: CHECK_IN_INTERVAL_S,
    client_id: row.id,
    issued_at: issuedAt,
    valid_until: new Date(now.getTime() + OFFLINE_GRACE_S * 1000).toISOString(),
  };
  return { ...answer, key_id: signer.keyId, signature: signer.sign({ ...answer, key_id: signer.keyId }) };
}
