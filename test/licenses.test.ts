import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { startWorld, type World } from "./helpers/world.js";

describe.each(await dialectsUnderTest())("plans, pools and licenses (%s)", (dialect) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(dialect);
  });
  afterAll(() => w.server.close());

  it("lists the seeded catalog", async () => {
    const { status, body } = await w.api("GET", "/api/v1/plans");
    expect(status).toBe(200);
    const ids = body.plans.map((p: { id: string }) => p.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "plan_premium_5",
        "plan_premium_25",
        "plan_premium_100",
        "plan_business_10",
        "plan_business_50",
        "topup_premium_5",
      ]),
    );
    expect(body.plans.find((p: { id: string }) => p.id === "topup_premium_5")).toMatchObject({
      kind: "top_up",
      slots: 5,
      license_type: "premium",
    });
  });

  it("purchases a plan into a new pool, and a top-up into another independent pool", async () => {
    const r = await w.api("POST", "/api/v1/purchases", { plan_id: "plan_business_10" });
    expect(r.status).toBe(201);
    expect(r.body.pool).toMatchObject({
      license_type: "business",
      name: "Business 10",
      total: 10,
      used: 0,
      unallocated: 10,
      source: "plan",
    });
    expect(r.body.purchase).toMatchObject({ plan_id: "plan_business_10", pool_id: r.body.pool.id });
    const top = await w.api("POST", "/api/v1/purchases", { plan_id: "topup_premium_5" });
    expect(top.body.pool).toMatchObject({ source: "top_up", total: 5 });
    const pools = (await w.api("GET", "/api/v1/pools")).body.pools;
    expect(pools[0].id).toBe(top.body.pool.id); // newest first
    expect(pools.map((p: { id: string }) => p.id)).toContain(r.body.pool.id);
    const activity = (await w.api("GET", `/api/v1/activity?pool_id=${r.body.pool.id}`)).body.activity;
    expect(activity[0]).toMatchObject({ action: "plan.purchased", pool_id: r.body.pool.id });
  });

  it("onboards a client with a pool in one step, and nothing at all when that pool is full", async () => {
    const pool = await w.purchase("plan_premium_5");
    const created = await w.onboard(pool);
    expect(created.site_key).toMatch(/^lp_site_/);
    expect(created.license).toMatchObject({ pool_id: pool, license_type: "premium" });
    for (let i = 0; i < 4; i++) await w.onboard(pool);
    const full = await w.api("POST", "/api/v1/clients", {
      name: "Too many",
      site_url: "https://too-many.example.com",
      pool_id: pool,
    });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe("pool_full");
    expect(full.body.error.details.ways_out.map((o: { action: string }) => o.action)).toEqual([
      "revoke_license",
      "purchase_plan",
      "request_pool_change",
    ]);
    const search = await w.api("GET", "/api/v1/clients?q=too-many");
    expect(search.body.clients).toHaveLength(0);
    expect((await w.api("GET", `/api/v1/pools/${pool}`)).body.pool).toMatchObject({ used: 5, total: 5, unallocated: 0 });
  });

  it("allocates, refuses a second license, revokes and hands the slot back at once", async () => {
    const pool = await w.purchase("plan_premium_5");
    const other = await w.purchase("plan_business_10");
    const { client } = await w.onboard();
    const alloc = await w.api("POST", `/api/v1/pools/${pool}/allocations`, { client_id: client.id });
    expect(alloc.status).toBe(201);
    expect(alloc.body.license).toMatchObject({ client_id: client.id, pool_id: pool, license_type: "premium" });
    expect(alloc.body.pool).toMatchObject({ id: pool, used: 1, unallocated: 4, name: "Premium 5" });
    const again = await w.api("POST", `/api/v1/pools/${other}/allocations`, { client_id: client.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("client_already_licensed");
    expect((await w.api("GET", `/api/v1/pools/${other}`)).body.pool.used).toBe(0);

    const detail = await w.api("GET", `/api/v1/clients/${client.id}`);
    expect(detail.body.client).toMatchObject({
      id: client.id,
      status: "active",
      license: { pool_id: pool, license_type: "premium" },
      last_check_in_at: null,
    });

    const revoked = await w.api("DELETE", `/api/v1/clients/${client.id}/license`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.pool).toMatchObject({ id: pool, used: 0, unallocated: 5 });
    expect(revoked.body.client.license).toBeNull();
    const twice = await w.api("DELETE", `/api/v1/clients/${client.id}/license`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("client_not_licensed");
    const log = (await w.api("GET", `/api/v1/activity?client_id=${client.id}`)).body.activity.map(
      (a: { action: string }) => a.action,
    );
    expect(log).toEqual(["license.revoked", "license.allocated", "client.created"]);
    const named = (await w.api("GET", `/api/v1/activity?client_id=${client.id}`)).body.activity;
    expect(named.every((a: { client_name: string }) => a.client_name === client.name)).toBe(true);
  });

  it("reissues to another license type, all or nothing", async () => {
    const premium = await w.purchase("plan_premium_5");
    const business = await w.purchase("plan_business_10");
    const { client } = await w.onboard(premium);
    const moved = await w.api("POST", `/api/v1/clients/${client.id}/license/reissue`, { pool_id: business });
    expect(moved.status).toBe(200);
    expect(moved.body.license).toMatchObject({ pool_id: business, license_type: "business" });
    expect((await w.api("GET", `/api/v1/pools/${premium}`)).body.pool.used).toBe(0);
    expect((await w.api("GET", `/api/v1/pools/${business}`)).body.pool.used).toBe(1);

    // The reissue shows in the history of both pools: the one it left and the one it joined.
    for (const p of [premium, business]) {
      const log = (await w.api("GET", `/api/v1/activity?pool_id=${p}&action=license.reissued`)).body.activity;
      expect(log, p).toHaveLength(1);
      expect(log[0]).toMatchObject({ before: { pool_id: premium }, after: { pool_id: business } });
    }
    const same = await w.api("POST", `/api/v1/clients/${client.id}/license/reissue`, { pool_id: business });
    expect(same.body.error.code).toBe("same_pool");

    // Fill the premium pool, then try to move back: the client must keep its business license.
    for (let i = 0; i < 5; i++) await w.onboard(premium);
    const blocked = await w.api("POST", `/api/v1/clients/${client.id}/license/reissue`, { pool_id: premium });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe("pool_full");
    expect((await w.api("GET", `/api/v1/clients/${client.id}`)).body.client.license).toMatchObject({ pool_id: business });
    expect((await w.api("GET", `/api/v1/pools/${business}`)).body.pool.used).toBe(1);
    expect((await w.api("GET", `/api/v1/pools/${premium}`)).body.pool.used).toBe(5);

    const { client: bare } = await w.onboard();
    const none = await w.api("POST", `/api/v1/clients/${bare.id}/license/reissue`, { pool_id: business });
    expect(none.body.error.code).toBe("client_not_licensed");
  });

  it("pages a pool's holders newest first", async () => {
    const pool = await w.purchase("plan_premium_25");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await w.onboard(pool)).client.id);
    const first = await w.api("GET", `/api/v1/pools/${pool}?limit=3`);
    expect(first.body.clients.map((c: { id: string }) => c.id)).toEqual(ids.slice(-3).reverse());
    expect(first.body.clients[0]).toHaveProperty("allocated_at");
    const second = await w.api("GET", `/api/v1/pools/${pool}?limit=3&cursor=${first.body.next_cursor}`);
    const third = await w.api("GET", `/api/v1/pools/${pool}?limit=3&cursor=${second.body.next_cursor}`);
    expect(third.body.clients).toHaveLength(1);
    expect(third.body.next_cursor).toBeNull();
    const seen = [...first.body.clients, ...second.body.clients, ...third.body.clients].map((c: { id: string }) => c.id);
    expect(new Set(seen)).toEqual(new Set(ids));
  });
});
