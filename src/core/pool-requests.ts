import type { PoolRequestBody } from "../contracts/schemas.js";
import type { Pool, PoolRequest } from "../contracts/types.js";
import type { Db, DbOrTx } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { adjustPoolInTransaction } from "./adjust-pool.js";
import { AppError, invalid, notFound } from "./app-error.js";
import type { ResellerContext, SupportContext } from "./context.js";
import { newId, nowIso } from "./ids.js";
import { decodeCursor, pageOf } from "./pagination.js";
import { loadPool, lockPool } from "./views.js";

type RequestRow = PoolRequest & { decided_by: string | null };
const view = ({ decided_by: _by, ...r }: RequestRow): PoolRequest => r;

/** A reseller asks support for an in-place size change of one of its pools. */
export function filePoolRequest(db: Db, ctx: ResellerContext, input: PoolRequestBody): Promise<PoolRequest> {
  return db.transaction().execute(async (trx) => {
    const pool = await loadPool(trx, ctx.resellerId, input.pool_id);
    if (input.requested_total === pool.total) throw invalid("requested_total", `the pool already has ${pool.total} slots`);
    if (input.requested_total < pool.used) {
      throw new AppError("pool_below_used", `The pool has ${pool.used} slots in use; ask for at least that many.`, {
        field: "requested_total",
        used: pool.used,
      });
    }
    const row: RequestRow = {
      id: newId("preq"),
      reseller_id: ctx.resellerId,
      pool_id: pool.id,
      requested_total: input.requested_total,
      current_total: pool.total,
      note: input.note,
      status: "pending",
      decision_reason: null,
      decided_by: null,
      decided_at: null,
      created_at: nowIso(),
    };
    await trx.insertInto("pool_requests").values(row).execute();
    await recordActivity(trx, {
      resellerId: ctx.resellerId,
      actor: ctx.actor,
      action: "pool_request.filed",
      subjectType: "pool_request",
      subjectId: row.id,
      poolId: pool.id,
      before: { total: pool.total },
      after: { requested_total: row.requested_total, note: row.note },
    });
    return view(row);
  });
}

export async function listPoolRequests(
  db: DbOrTx,
  filter: { resellerId?: string; status?: PoolRequest["status"]; limit: number; cursor?: string },
): Promise<{ items: (PoolRequest & { reseller_name: string })[]; next_cursor: string | null }> {
  const after = decodeCursor(filter.cursor, "preq");
  let q = db
    .selectFrom("pool_requests")
    .innerJoin("resellers", "resellers.id", "pool_requests.reseller_id")
    .selectAll("pool_requests")
    .select("resellers.name as reseller_name")
    .orderBy("pool_requests.id", "desc")
    .limit(filter.limit + 1);
  if (filter.resellerId) q = q.where("pool_requests.reseller_id", "=", filter.resellerId);
  if (filter.status) q = q.where("pool_requests.status", "=", filter.status);
  if (after) q = q.where("pool_requests.id", "<", after);
  const page = pageOf(await q.execute(), filter.limit, (r) => r.id);
  return { items: page.items.map((r) => ({ ...view(r), reseller_name: r.reseller_name })), next_cursor: page.next_cursor };
}

/** Support approves (applying the size change in the same transaction) or declines a pending request. */
export function decidePoolRequest(
  db: Db,
  ctx: SupportContext,
  requestId: string,
  decision: "approved" | "declined",
  reason?: string,
): Promise<{ pool_request: PoolRequest; pool: Pool | null }> {
  return db.transaction().execute(async (trx) => {
    const request = await trx.selectFrom("pool_requests").selectAll().where("id", "=", requestId).executeTakeFirst();
    if (!request) throw notFound("pool request");
    // Compare-and-set on status: two support agents clicking at once decide it once.
    const decided = await trx
      .updateTable("pool_requests")
      .set({ status: decision, decision_reason: reason ?? null, decided_by: ctx.actor, decided_at: nowIso() })
      .where("id", "=", requestId)
      .where("status", "=", "pending")
      .returningAll()
      .executeTakeFirst();
    if (!decided)
      throw new AppError("pool_request_not_pending", `This request was already ${request.status}.`, { status: request.status });
    const pool = decision === "approved" ? await applyApproval(trx, ctx, request, reason) : null;
    await recordActivity(trx, {
      resellerId: request.reseller_id,
      actor: ctx.actor,
      action: `pool_request.${decision}`,
      subjectType: "pool_request",
      subjectId: requestId,
      poolId: request.pool_id,
      before: { status: "pending" },
      after: { status: decision, requested_total: request.requested_total, reason: reason ?? null },
    });
    return { pool_request: view(decided), pool };
  });
}

/**
 * The request asked for an absolute size given the pool as it was. If support resized the pool since, applying the old
 * number could undo that (even shrink it), so it is refused as stale; support declines it and the reseller files anew.
 * The pool row is locked first, so a resize racing this approval is seen, not overwritten.
 */
async function applyApproval(trx: DbOrTx, ctx: SupportContext, request: RequestRow, reason: string | undefined): Promise<Pool> {
  const pool = await lockPool(trx, request.pool_id);
  if (!pool) throw notFound("pool");
  if (pool.total !== request.current_total) {
    throw new AppError(
      "pool_request_stale",
      `The pool was resized to ${pool.total} since this request (filed at ${request.current_total}); decline it instead.`,
      {
        current_total: pool.total,
        filed_at_total: request.current_total,
        requested_total: request.requested_total,
      },
    );
  }
  const why =
    reason || `approved the reseller's request for ${request.requested_total} slots${request.note ? ` ("${request.note}")` : ""}`;
  return adjustPoolInTransaction(trx, ctx, request.pool_id, request.requested_total, why);
}
