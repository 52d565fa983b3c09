import type { DbOrTx } from "../db/schema.js";
import { newId, nowIso } from "./ids.js";

export interface ActivityInput {
  resellerId: string | null;
  actor: string;
  action: string;
  subjectType:
    | "client"
    | "pool"
    | "purchase"
    | "pool_request"
    | "reseller"
    | "license"
    | "signing_key"
    | "user"
    | "invite"
    | "api_key";
  subjectId: string;
  clientId?: string | null;
  /** The client's name at the time, so the log still reads well after the client is renamed or offboarded. */
  clientName?: string | null;
  poolId?: string | null;
  otherPoolId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Writes one audit row. Always called inside the transaction of the change it records, so both land or neither. */
export async function recordActivity(trx: DbOrTx, a: ActivityInput): Promise<void> {
  await trx
    .insertInto("activity")
    .values({
      id: newId("act"),
      reseller_id: a.resellerId,
      actor: a.actor,
      action: a.action,
      subject_type: a.subjectType,
      subject_id: a.subjectId,
      client_id: a.clientId ?? null,
      client_name: a.clientName ?? null,
      pool_id: a.poolId ?? null,
      other_pool_id: a.otherPoolId ?? null,
      before_json: a.before === undefined ? null : JSON.stringify(a.before),
      after_json: a.after === undefined ? null : JSON.stringify(a.after),
      created_at: nowIso(),
    })
    .execute();
}
