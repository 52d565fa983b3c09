import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { type Call, client, makeReseller, makeSupport, startServer, type TestServer } from "./helpers/world.js";

const hasPostgres = (await dialectsUnderTest()).includes("postgres");

/**
 * Interleavings that only PostgreSQL (row locks, READ COMMITTED) can produce: a psql-like session holds a lock on the
 * activity table so each request stops at a known point, and the test waits until the database reports both requests
 * blocked before letting them go. No sleeps: the wait is on pg_stat_activity.
 */
describe.skipIf(!hasPostgres)("PostgreSQL interleavings (skipped without a reachable PostgreSQL)", () => {
  let server: TestServer;
  let api: Call;
  let locker: pg.Client;
  beforeAll(async () => {
    server = await startServer("postgres");
    api = client(server.url, (await makeReseller(server.db)).api_key);
    locker = new pg.Client({ connectionString: server.databaseUrl });
    await locker.connect();
  });
  afterAll(async () => {
    await locker.end();
    await server.close();
  });

  async function waitForBlocked(count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      // The locker sits inside its own transaction, where pg_stat_activity is a cached snapshot: refresh it each time.
      await locker.query("select pg_stat_clear_snapshot()");
      const { rows } = await locker.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
      );
      if (rows[0].n >= count) return;
      if (Date.now() > deadline) {
        const all = await locker.query(
          "select state, wait_event_type, wait_event, left(query, 120) as q from pg_stat_activity where datname = current_database()",
        );
        throw new Error(`expected ${count} blocked requests, saw ${rows[0].n}: ${JSON.stringify(all.rows)}`);
      }
      await new Promise((r) => setImmediate(r));
    }
  }

  async function interleave(firstRequest: () => Promise<unknown>, secondRequest: () => Promise<unknown>) {
    await locker.query("begin");
    await locker.query("lock table activity in exclusive mode");
    const a = firstRequest();
    await waitForBlocked(1);
    const b = secondRequest();
    await waitForBlocked(2);
    await locker.query("commit");
    return Promise.all([a, b]);
  }

  async function invariant() {
    const { rows } = await locker.query(
      "select p.id, p.used, p.total, (select count(*)::int from licenses l where l.pool_id = p.id) as n from pools p",
    );
    for (const r of rows) expect(r.used, r.id).toBe(r.n);
  }

  it("offboarding a client while it is being allocated never strands a slot", async () => {
    const pool = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const c = (await api("POST", "/api/v1/clients", { name: "Racer", site_url: "https://racer.example.com" })).body.client.id;
    const [alloc, off] = (await interleave(
      () => api("POST", `/api/v1/pools/${pool}/allocations`, { client_id: c }),
      () => api("DELETE", `/api/v1/clients/${c}`),
    )) as { status: number; body: any }[];
    expect(alloc?.status).toBe(201);
    expect(off?.status).toBe(200);
    expect(off?.body.pool).toMatchObject({ id: pool, used: 0 });
    await invariant();
  });

  it("offboarding a client while its license is reissued never strands a slot", async () => {
    const p1 = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const p2 = (await api("POST", "/api/v1/purchases", { plan_id: "plan_business_10" })).body.pool.id;
    const c = (await api("POST", "/api/v1/clients", { name: "Mover", site_url: "https://mover.example.com", pool_id: p1 })).body
      .client.id;
    const [moved, off] = (await interleave(
      () => api("POST", `/api/v1/clients/${c}/license/reissue`, { pool_id: p2 }),
      () => api("DELETE", `/api/v1/clients/${c}`),
    )) as { status: number; body: any }[];
    expect(moved?.status).toBe(200);
    expect(off?.status).toBe(200);
    expect((await api("GET", `/api/v1/pools/${p2}`)).body.pool.used).toBe(0);
    expect((await api("GET", `/api/v1/pools/${p1}`)).body.pool.used).toBe(0);
    await invariant();
  });

  it("an approval that lands after a newer resize is refused as stale, not applied over it", async () => {
    const support = client(server.url, (await makeSupport(server.db)).token);
    const pool = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const request = (await api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 3, note: "" })).body
      .pool_request.id;
    const [resize, approve] = (await interleave(
      () => support("POST", `/api/support/v1/pools/${pool}/adjust`, { total: 50, reason: "big deal" }),
      () => support("POST", `/api/support/v1/pool-requests/${request}/approve`),
    )) as { status: number; body: any }[];
    expect(resize?.status).toBe(200);
    expect(approve?.body.error.code).toBe("pool_request_stale");
    expect((await api("GET", `/api/v1/pools/${pool}`)).body.pool.total).toBe(50);
  });

  it("racing identical adjustments change the pool once and log once", async () => {
    const support = client(server.url, (await makeSupport(server.db)).token);
    const pool = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const adjust = () => support("POST", `/api/support/v1/pools/${pool}/adjust`, { total: 12, reason: "twice" });
    await interleave(adjust, adjust);
    const log = (await api("GET", `/api/v1/activity?pool_id=${pool}&action=pool.adjusted`)).body.activity;
    expect(log).toHaveLength(1);
    expect(log[0].before.total).toBe(5);
  });

  it("two rotations racing with one key: only the first gets a working key", async () => {
    const r = await makeReseller(server.db);
    const withOld = client(server.url, r.api_key);
    const [a, b] = (await interleave(
      () => withOld("POST", "/api/v1/api-key/rotate"),
      () => withOld("POST", "/api/v1/api-key/rotate"),
    )) as { status: number; body: any }[];
    expect(a?.status).toBe(200);
    expect(b?.status).toBe(401);
    expect((await client(server.url, a?.body.api_key)("GET", "/api/v1/me")).status).toBe(200);
  });

  it("racing suspends write one audit row", async () => {
    const c = (await api("POST", "/api/v1/clients", { name: "Pause", site_url: "https://pause.example.com" })).body.client.id;
    await interleave(
      () => api("POST", `/api/v1/clients/${c}/suspend`),
      () => api("POST", `/api/v1/clients/${c}/suspend`),
    );
    expect((await api("GET", `/api/v1/activity?client_id=${c}&action=client.suspended`)).body.activity).toHaveLength(1);
  });
});
