import type { License, Pool } from "../contracts/types.js";
import { isForeignKeyViolation, isUniqueViolation } from "../db/connect.js";
import type { Db, DbOrTx } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { AppError, notFound } from "./app-error.js";
import type { ResellerContext } from "./context.js";
import { newId, nowIso } from "./ids.js";
import { takeSlot } from "./pool-slots.js";
import { lockClient, poolView } from "./views.js";

export interface Allocation {
  license: License;
  pool: Pool;
}

/** Returns the license and the pool as it is afterwards, so a caller can show the new counts without another read. */
export function allocateLicense(db: Db, ctx: ResellerContext, poolId: string, clientId: string): Promise<Allocation> {
  return db.transaction().execute((trx) => allocateInTransaction(trx, ctx, poolId, clientId));
}

/** Shared with onboarding, which allocates inside its own transaction. */
export async function allocateInTransaction(
  trx: DbOrTx,
  ctx: ResellerContext,
  poolId: string,
  clientId: string,
): Promise<Allocation> {
  await lockClient(trx, ctx.resellerId, clientId);
  const client = await trx
    .selectFrom("clients")
    .leftJoin("licenses", "licenses.client_id", "clients.id")
    .select(["clients.id", "clients.name", "licenses.pool_id"])
    .where("clients.id", "=", clientId)
    .where("clients.reseller_id", "=", ctx.resellerId)
    .executeTakeFirst();
  if (!client) throw notFound("client");
  if (client.pool_id) throw alreadyLicensed(clientId, client.pool_id);

  const pool = await takeSlot(trx, ctx.resellerId, poolId);
  const license: License = { client_id: clientId, pool_id: pool.id, license_type: pool.license_type, allocated_at: nowIso() };
  try {
    await trx
      .insertInto("licenses")
      .values({
        id: newId("lic"),
        client_id: clientId,
        pool_id: pool.id,
        reseller_id: ctx.resellerId,
        allocated_at: license.allocated_at,
      })
      .execute();
  } catch (err) {
    // A concurrent request licensed this client first; the unique index on client_id caught it. Our slot rolls back.
    if (isUniqueViolation(err)) throw alreadyLicensed(clientId, null);
    if (isForeignKeyViolation(err)) throw notFound("client");
    throw err;
  }
  await recordActivity(trx, {
    resellerId: ctx.resellerId,
    actor: ctx.actor,
    action: "license.allocated",
    subjectType: "client",
    subjectId: clientId,
    clientId,
    clientName: client.name,
    poolId: pool.id,
    before: null,
    after: { pool_id: pool.id, license_type: pool.license_type, pool_used: pool.used, pool_total: pool.total },
  });
  return { license, pool: poolView(pool) };
}

function alreadyLicensed(clientId: string, poolId: string | null): AppError {
  return new AppError(
    "client_already_licensed",
    "This client already holds a license; revoke it or reissue it to another pool.",
    {
      client_id: clientId,
      ...(poolId ? { pool_id: poolId } : {}),
    },
  );
}
