import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantPool } from "../src/core/grant-pool.js";
import { onboardClient } from "../src/core/onboard-client.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { type ServerProcess, spawnServer } from "./helpers/processes.js";
import { type Call, client, makeReseller, startServer, type TestServer } from "./helpers/world.js";

/**
 * Scale-out: two app-server processes on one database, as behind a load balancer. Correctness may not depend on
 * anything held in one process's memory: the database's locks and constraints are the only referee.
 */
describe.each(await dialectsUnderTest())("two app servers on one %s database", (dialect) => {
  let server: TestServer;
  let first: ServerProcess;
  let second: ServerProcess;
  let resellerId: string;
  let viaFirst: Call;
  let viaSecond: Call;
  beforeAll(async () => {
    server = await startServer(dialect);
    const r = await makeReseller(server.db);
    resellerId = r.reseller.id;
    [first, second] = await Promise.all([spawnServer(server.databaseUrl), spawnServer(server.databaseUrl)]);
    viaFirst = client(first.url, r.api_key);
    viaSecond = client(second.url, r.api_key);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await server?.close();
  });

  const ctx = () => ({ resellerId, actor: "test" });
  async function clients(prefix: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        (await onboardClient(server.db, ctx(), { name: `${prefix} ${i}`, site_url: `https://${prefix}${i}.example.com` })).client
          .id,
      );
    return ids;
  }
  async function poolInvariantViolations() {
    const { rows } = await sql<{ id: string; used: number; total: number; held: number }>`
      select p.id, p.used, p.total, (select count(*) from licenses l where l.pool_id = p.id) as held
      from pools p where p.reseller_id = ${resellerId}`.execute(server.db);
    return rows.filter((p) => Number(p.held) !== Number(p.used) || p.used < 0 || p.used > p.total);
  }

  it("200 concurrent allocations on each server for one pool of 10 free slots: exactly 10 succeed", async () => {
    const pool = await grantPool(server.db, { actor: "test" }, resellerId, "premium", 10, "scale-out test");
    const ids = await clients("race", 400);
    const results = await Promise.all(
      ids.map((id, i) => (i % 2 ? viaFirst : viaSecond)("POST", `/api/v1/pools/${pool.id}/allocations`, { client_id: id })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === "pool_full")).toHaveLength(390);
    const row = await server.db.selectFrom("pools").select(["used", "total"]).where("id", "=", pool.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ used: 10, total: 10 });
    expect(await poolInvariantViolations()).toEqual([]);
  });

  it("mixed allocate/revoke/reissue load on both servers for a fixed time leaves every pool consistent", async () => {
    const pools = await Promise.all([
      grantPool(server.db, { actor: "test" }, resellerId, "premium", 12, "mixed A"),
      grantPool(server.db, { actor: "test" }, resellerId, "business", 8, "mixed B"),
      grantPool(server.db, { actor: "test" }, resellerId, "premium", 5, "mixed C"),
    ]);
    const ids = await clients("mixed", 40);
    const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
    const succeeded = { allocate: 0, revoke: 0, reissue: 0 };
    const unexpected: string[] = [];
    const expectedRefusals = new Set(["pool_full", "client_already_licensed", "client_not_licensed", "same_pool"]);
    // A fixed time, but never fewer than 400 operations: on a loaded machine the time alone may hold too few to prove much.
    const deadline = Date.now() + 3_000;
    let attempts = 0;
    async function worker(call: Call) {
      while (Date.now() < deadline || attempts < 400) {
        attempts += 1;
        const op = pick(["allocate", "revoke", "reissue"] as const);
        const id = pick(ids);
        const r =
          op === "allocate"
            ? await call("POST", `/api/v1/pools/${pick(pools).id}/allocations`, { client_id: id })
            : op === "revoke"
              ? await call("DELETE", `/api/v1/clients/${id}/license`)
              : await call("POST", `/api/v1/clients/${id}/license/reissue`, { pool_id: pick(pools).id });
        if (r.status < 300) succeeded[op] += 1;
        else if (!expectedRefusals.has(r.body?.error?.code)) unexpected.push(`${op} ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    await Promise.all(Array.from({ length: 24 }, (_, i) => worker(i % 2 ? viaFirst : viaSecond)));

    expect(unexpected).toEqual([]);
    expect(attempts).toBeGreaterThanOrEqual(400);
    expect(succeeded.allocate).toBeGreaterThan(0);
    expect(succeeded.revoke).toBeGreaterThan(0);
    expect(succeeded.reissue).toBeGreaterThan(0);
    expect(await poolInvariantViolations()).toEqual([]);
    // Every confirmed change left exactly one audit row: none lost to a retry, none doubled by one.
    const audit = await server.db
      .selectFrom("activity")
      .select(["action", (eb) => eb.fn.countAll<number>().as("n")])
      .where("reseller_id", "=", resellerId)
      .where("action", "in", ["license.allocated", "license.revoked", "license.reissued"])
      .where("created_at", ">=", new Date(deadline - 3_000).toISOString())
      .groupBy("action")
      .execute();
    const byAction = Object.fromEntries(audit.map((a) => [a.action, Number(a.n)]));
    expect(byAction["license.allocated"] ?? 0).toBe(succeeded.allocate);
    expect(byAction["license.revoked"] ?? 0).toBe(succeeded.revoke);
    expect(byAction["license.reissued"] ?? 0).toBe(succeeded.reissue);
  });

  it("transactions that read before they write (purchases, pool requests) succeed from both servers at once", async () => {
    const purchases = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? viaFirst : viaSecond)("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }),
      ),
    );
    expect(purchases.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const pool = purchases[0]?.body.pool.id;
    const requests = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? viaFirst : viaSecond)("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 6 + i, note: "" }),
      ),
    );
    expect(requests.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
  });
});
