import type { Updateable } from "kysely";
import type { Client, Pool } from "../contracts/types.js";
import type { ClientsTable, DbOrTx, PoolRow } from "../db/schema.js";
import { notFound } from "./app-error.js";
import { nowIso } from "./ids.js";

/** Row -> API shape mappers and the few reads many operations share. */
export function poolView(p: PoolRow): Pool {
  return {
    id: p.id,
    name: p.name,
    license_type: p.license_type,
    total: p.total,
    used: p.used,
    unallocated: p.total - p.used,
    source: p.source,
    created_at: p.created_at,
  };
}

/** Clients joined with their license (if any): the select every client read starts from. */
export function clientsWithLicense(db: DbOrTx) {
  return db
    .selectFrom("clients")
    .leftJoin("licenses", "licenses.client_id", "clients.id")
    .leftJoin("pools", "pools.id", "licenses.pool_id")
    .select([
      "clients.id",
      "clients.name",
      "clients.site_url",
      "clients.status",
      "clients.site_key_prefix",
      "clients.last_check_in_at",
      "clients.plugin_version",
      "clients.created_at",
      "licenses.pool_id",
      "licenses.allocated_at",
      "pools.license_type",
    ]);
}

type ClientJoinRow = {
  id: string;
  name: string;
  site_url: string;
  status: "active" | "suspended";
  site_key_prefix: string;
  last_check_in_at: string | null;
  plugin_version: string | null;
  created_at: string;
  pool_id: string | null;
  allocated_at: string | null;
  license_type: string | null;
};

export function clientView(r: ClientJoinRow): Client {
  return {
    id: r.id,
    name: r.name,
    site_url: r.site_url,
    status: r.status,
    license:
      r.pool_id && r.license_type && r.allocated_at
        ? { pool_id: r.pool_id, license_type: r.license_type, allocated_at: r.allocated_at }
        : null,
    site_key_prefix: r.site_key_prefix,
    last_check_in_at: r.last_check_in_at,
    plugin_version: r.plugin_version,
    created_at: r.created_at,
  };
}

export async function loadClient(db: DbOrTx, resellerId: string, clientId: string): Promise<Client> {
  const row = await clientsWithLicense(db)
    .where("clients.id", "=", clientId)
    .where("clients.reseller_id", "=", resellerId)
    .executeTakeFirst();
  if (!row) throw notFound("client");
  return clientView(row);
}

export async function loadPool(db: DbOrTx, resellerId: string, poolId: string): Promise<PoolRow> {
  const pool = await db
    .selectFrom("pools")
    .selectAll()
    .where("id", "=", poolId)
    .where("reseller_id", "=", resellerId)
    .executeTakeFirst();
  if (!pool) throw notFound("pool");
  return pool;
}

/** Writes fields of one of the reseller's clients and stamps `updated_at`: the shared tail of every client edit. */
export async function writeClient(
  trx: DbOrTx,
  resellerId: string,
  clientId: string,
  changes: Updateable<ClientsTable>,
): Promise<void> {
  await trx
    .updateTable("clients")
    .set({ ...changes, updated_at: nowIso() })
    .where("id", "=", clientId)
    .where("reseller_id", "=", resellerId)
    .execute();
}

/**
 * Locks a pool row for the rest of the transaction (no-op write, as lockClient) and returns it as it is now: size changes
 * read their "before" under this lock, so racing adjustments and approvals see each other's results.
 */
export async function lockPool(trx: DbOrTx, poolId: string): Promise<PoolRow | undefined> {
  return trx
    .updateTable("pools")
    .set((eb) => ({ total: eb.ref("total") }))
    .where("id", "=", poolId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Locks one of the reseller's clients for the rest of the transaction with a write (a row lock in PostgreSQL; in
 * SQLite the transaction already holds the write lock). Every operation on a client starts here, so an offboard can
 * never slip between another request's read of the client and its license write, and racing suspends log once.
 * The write bumps `license_revision`: whatever the operation changes, the client's next signed document is newer than
 * any before it, and no operation can forget to say so. (A rolled-back operation rolls the bump back too.)
 */
export async function lockClient(trx: DbOrTx, resellerId: string, clientId: string): Promise<void> {
  const locked = await trx
    .updateTable("clients")
    .set((eb) => ({ license_revision: eb("license_revision", "+", 1) }))
    .where("id", "=", clientId)
    .where("reseller_id", "=", resellerId)
    .returning("id")
    .executeTakeFirst();
  if (!locked) throw notFound("client");
}
