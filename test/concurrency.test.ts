import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { type Call, client, makeReseller, startServer, type TestServer } from "./helpers/world.js";

const CLIENTS = 200;

describe.each(await dialectsUnderTest())("concurrent allocation (%s)", (dialect) => {
  let server: TestServer;
  let api: Call;
  let poolId: string;
  let clientIds: string[];

  beforeAll(async () => {
    server = await startServer(dialect);
    const reseller = await makeReseller(server.db);
    api = client(server.url, reseller.api_key);
    // A pool with exactly 10 free slots: Premium 25 with 15 already allocated.
    poolId = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_25" })).body.pool.id;
    for (let i = 0; i < 15; i++) {
      const r = await api("POST", "/api/v1/clients", {
        name: `Existing ${i}`,
        site_url: `https://existing${i}.example.com`,
        pool_id: poolId,
      });
      expect(r.status).toBe(201);
    }
    clientIds = [];
    for (let i = 0; i < CLIENTS; i++) {
      const r = await api("POST", "/api/v1/clients", { name: `Racer ${i}`, site_url: `https://racer${i}.example.com` });
      clientIds.push(r.body.client.id);
    }
  });
  afterAll(() => server.close());

  it(`lets exactly 10 of ${CLIENTS} simultaneous HTTP allocations through and answers pool_full to the rest`, async () => {
    const before = (await api("GET", `/api/v1/pools/${poolId}`)).body.pool;
    expect(before.unallocated).toBe(10);

    const results = await Promise.all(
      clientIds.map((id) => api("POST", `/api/v1/pools/${poolId}/allocations`, { client_id: id })),
    );

    const ok = results.filter((r) => r.status === 201);
    const full = results.filter((r) => r.status === 409 && r.body.error.code === "pool_full");
    expect(ok).toHaveLength(10);
    expect(full).toHaveLength(CLIENTS - 10);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);

    const pool = (await api("GET", `/api/v1/pools/${poolId}?limit=200`)).body;
    expect(pool.pool).toMatchObject({ total: 25, used: 25, unallocated: 0 });
    expect(pool.clients).toHaveLength(25);
    const licensed = await api("GET", `/api/v1/clients?licensed=true&pool_id=${poolId}&limit=200`);
    expect(licensed.body.clients).toHaveLength(25);
    const allocations = await api("GET", `/api/v1/activity?action=license.allocated&pool_id=${poolId}&limit=200`);
    expect(allocations.body.activity).toHaveLength(25);
  });

  it("never double-licenses one client when the same allocation races itself", async () => {
    const p2 = (await api("POST", "/api/v1/purchases", { plan_id: "plan_business_50" })).body.pool.id;
    const lone = (await api("POST", "/api/v1/clients", { name: "Lone", site_url: "https://lone.example.com" })).body.client.id;
    const results = await Promise.all(
      Array.from({ length: 30 }, () => api("POST", `/api/v1/pools/${p2}/allocations`, { client_id: lone })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.body?.error?.code === "client_already_licensed")).toHaveLength(29);
    expect((await api("GET", `/api/v1/pools/${p2}`)).body.pool.used).toBe(1);
  });

  it("returns a slot once when revokes race", async () => {
    const p3 = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const c = (await api("POST", "/api/v1/clients", { name: "Twice", site_url: "https://twice.example.com", pool_id: p3 })).body
      .client.id;
    const results = await Promise.all(Array.from({ length: 20 }, () => api("DELETE", `/api/v1/clients/${c}/license`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body?.error?.code === "client_not_licensed")).toHaveLength(19);
    expect((await api("GET", `/api/v1/pools/${p3}`)).body.pool).toMatchObject({ used: 0, unallocated: 5 });
  });
});
