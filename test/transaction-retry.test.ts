import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantPool } from "../src/core/grant-pool.js";
import { onboardClient } from "../src/core/onboard-client.js";
import { connect } from "../src/db/connect.js";
import type { Db } from "../src/db/schema.js";
import { dbSettingsFromEnv } from "../src/db/settings.js";
import { buildApp } from "../src/server/app.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { client, makeReseller, startServer, type TestServer } from "./helpers/world.js";

const hasPostgres = (await dialectsUnderTest()).includes("postgres");

/** Two transactions that lock two rows in opposite orders: PostgreSQL aborts one of them with deadlock_detected. */
async function deadlockPair(a: Kysely<any>, b: Kysely<any>) {
  let arrived = 0;
  let release: () => void = () => {};
  const bothHoldFirstLock = new Promise<void>((r) => {
    release = r;
  });
  const arrive = () => {
    arrived += 1;
    if (arrived === 2) release();
    return bothHoldFirstLock; // later attempts (retries) find it resolved and go straight on
  };
  const txn = (db: Kysely<any>, first: number, second: number) =>
    db.transaction().execute(async (trx) => {
      await sql`update retry_probe set v = v + 1 where id = ${first}`.execute(trx);
      await arrive();
      await sql`update retry_probe set v = v + 1 where id = ${second}`.execute(trx);
    });
  return Promise.allSettled([txn(a, 1, 2), txn(b, 2, 1)]);
}

describe.skipIf(!hasPostgres)("transaction retries on PostgreSQL deadlocks (skipped without a reachable PostgreSQL)", () => {
  let server: TestServer;
  const handles: Kysely<any>[] = [];
  const open = (txRetries: number) => {
    const db = connect(server.databaseUrl, { ...dbSettingsFromEnv({}), txRetries }) as unknown as Kysely<any>;
    handles.push(db);
    return db;
  };
  beforeAll(async () => {
    server = await startServer("postgres");
    await sql`create table retry_probe (id int primary key, v int not null)`.execute(server.db);
  });
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.destroy()));
    await server.close();
  });

  it("with retries on, the deadlock victim runs again and both transactions commit exactly once", async () => {
    await sql`delete from retry_probe; insert into retry_probe values (1, 0), (2, 0)`.execute(server.db);
    const results = await deadlockPair(open(2), open(2));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const { rows } = await sql<{ v: number }>`select v from retry_probe order by id`.execute(server.db);
    expect(rows.map((r) => r.v)).toEqual([2, 2]);
  });

  it("with DB_TX_RETRIES=0 the victim's error reaches the caller and its changes are rolled back", async () => {
    await sql`delete from retry_probe; insert into retry_probe values (1, 0), (2, 0)`.execute(server.db);
    const results = await deadlockPair(open(0), open(0));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason.code).toBe("40P01");
    const { rows } = await sql<{ v: number }>`select v from retry_probe order by id`.execute(server.db);
    expect(rows.map((r) => r.v)).toEqual([1, 1]);
  });

  it("a lock held past DB_STATEMENT_TIMEOUT_MS answers 503 database_busy with Retry-After, and changes nothing", async () => {
    const db = connect(server.databaseUrl, { ...dbSettingsFromEnv({}), statementTimeoutMs: 300, txRetries: 0 }) as Db;
    handles.push(db as unknown as Kysely<any>);
    const app = await buildApp({ db });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    const r = await makeReseller(server.db);
    const pool = await grantPool(server.db, { actor: "test" }, r.reseller.id, "premium", 3, "timeout test");
    const c = await onboardClient(
      server.db,
      { resellerId: r.reseller.id, actor: "test" },
      { name: "T", site_url: "t.example.com" },
    );
    const locker = new pg.Client({ connectionString: server.databaseUrl });
    await locker.connect();
    try {
      await locker.query("begin");
      await locker.query("select * from pools where id = $1 for update", [pool.id]);
      const res = await fetch(`${url}/api/v1/pools/${pool.id}/allocations`, {
        method: "POST",
        headers: { authorization: `Bearer ${r.api_key}`, "content-type": "application/json" },
        body: JSON.stringify({ client_id: c.client.id }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      expect((await res.json()).error.code).toBe("database_busy");
      await locker.query("rollback");
      const after = await client(url, r.api_key)("GET", `/api/v1/pools/${pool.id}`);
      expect(after.body.pool.used).toBe(0);
    } finally {
      await locker.end();
      await app.close();
    }
  });
});

describe("database settings from the environment", () => {
  it("has defaults and refuses nonsense instead of guessing", () => {
    expect(dbSettingsFromEnv({})).toEqual({
      poolSize: 10,
      statementTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
      busyTimeoutMs: 5_000,
      txRetries: 3,
    });
    expect(dbSettingsFromEnv({ DB_POOL_SIZE: "32", DB_TX_RETRIES: "0" })).toMatchObject({ poolSize: 32, txRetries: 0 });
    expect(() => dbSettingsFromEnv({ DB_POOL_SIZE: "0" })).toThrow(/DB_POOL_SIZE must be an integer >= 1/);
    expect(() => dbSettingsFromEnv({ DB_STATEMENT_TIMEOUT_MS: "soon" })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
  });
});
