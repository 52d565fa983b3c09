import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReseller } from "../src/core/accounts.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { client, startWorld, type World } from "./helpers/world.js";

describe.each(await dialectsUnderTest())("support console API and pool-size requests (%s)", (dialect) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(dialect);
  });
  afterAll(() => w.server.close());

  it("needs a support token: reseller keys and no key are refused", async () => {
    expect((await client(w.server.url)("GET", "/api/support/v1/resellers")).status).toBe(401);
    const withResellerKey = await w.api("GET", "/api/support/v1/resellers");
    expect(withResellerKey.status).toBe(401);
    expect(withResellerKey.body.error.code).toBe("unauthorized");
  });

  it("lists resellers with their pools", async () => {
    const pool = await w.purchase("plan_premium_5");
    await w.onboard(pool);
    const { body } = await w.supportApi("GET", "/api/support/v1/resellers");
    const alice = body.resellers.find((r: { id: string }) => r.id === w.alice.reseller.id);
    expect(alice.pools.map((p: { id: string }) => p.id)).toContain(pool);
    expect(alice.client_count).toBeGreaterThanOrEqual(1);
    expect(alice).not.toHaveProperty("api_key_hash");
    const found = await w.supportApi("GET", `/api/support/v1/resellers?q=${encodeURIComponent(w.alice.email.toUpperCase())}`);
    expect(found.body.resellers.map((r: { id: string }) => r.id)).toEqual([w.alice.reseller.id]);
    const ecole = await createReseller(w.server.db, {
      name: "ÉCOLE Ünïcode Hosting",
      email: `ecole-${dialect}@example.com`,
      actor: "test",
    });
    for (const q of ["ÉCOLE", "école", "ünïcode", "ÜNÏCODE"]) {
      const r = await w.supportApi("GET", `/api/support/v1/resellers?q=${encodeURIComponent(q)}`);
      expect(
        r.body.resellers.map((x: { id: string }) => x.id),
        q,
      ).toEqual([ecole.reseller.id]);
    }
  });

  it("adjusts a pool in place, never below used, always with a reason", async () => {
    const pool = await w.purchase("plan_premium_5");
    await w.onboard(pool);
    await w.onboard(pool);
    const grown = await w.supportApi("POST", `/api/support/v1/pools/${pool}/adjust`, { total: 8, reason: "goodwill" });
    expect(grown.status).toBe(200);
    expect(grown.body.pool).toMatchObject({ id: pool, total: 8, used: 2, unallocated: 6 });
    const shrunk = await w.supportApi("POST", `/api/support/v1/pools/${pool}/adjust`, { total: 2, reason: "churn" });
    expect(shrunk.body.pool).toMatchObject({ total: 2, used: 2, unallocated: 0 });
    const below = await w.supportApi("POST", `/api/support/v1/pools/${pool}/adjust`, { total: 1, reason: "oops" });
    expect(below.status).toBe(409);
    expect(below.body.error).toMatchObject({ code: "pool_below_used", details: { used: 2 } });
    const noReason = await w.supportApi("POST", `/api/support/v1/pools/${pool}/adjust`, { total: 3 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.field).toBe("reason");
    expect((await w.supportApi("POST", "/api/support/v1/pools/pool_nope/adjust", { total: 3, reason: "x" })).status).toBe(404);
    const log = (await w.api("GET", `/api/v1/activity?pool_id=${pool}&action=pool.adjusted`)).body.activity;
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ before: { total: 8 }, after: { total: 2, reason: "churn" } });
    expect(log[0].actor).toBe('support token "test"');
  });

  it("approves a reseller's pool-size request, applying it", async () => {
    const pool = await w.purchase("plan_premium_5");
    const filed = await w.api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 12, note: "Black Friday" });
    expect(filed.status).toBe(201);
    expect(filed.body.pool_request).toMatchObject({ pool_id: pool, requested_total: 12, status: "pending" });
    const pending = await w.supportApi("GET", "/api/support/v1/pool-requests?status=pending");
    const listed = pending.body.pool_requests.find((r: { id: string }) => r.id === filed.body.pool_request.id);
    expect(listed).toMatchObject({ reseller_name: w.alice.reseller.name, current_total: 5, requested_total: 12 });
    const approved = await w.supportApi("POST", `/api/support/v1/pool-requests/${filed.body.pool_request.id}/approve`);
    expect(approved.body.pool_request.status).toBe("approved");
    expect(approved.body.pool).toMatchObject({ id: pool, total: 12 });
    expect((await w.api("GET", `/api/v1/pools/${pool}`)).body.pool.total).toBe(12);
    const again = await w.supportApi("POST", `/api/support/v1/pool-requests/${filed.body.pool_request.id}/decline`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("pool_request_not_pending");
  });

  it("declines a request without touching the pool", async () => {
    const pool = await w.purchase("plan_premium_5");
    const filed = await w.api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 50, note: "" });
    const declined = await w.supportApi("POST", `/api/support/v1/pool-requests/${filed.body.pool_request.id}/decline`, {
      reason: "buy a plan",
    });
    expect(declined.body.pool_request).toMatchObject({ status: "declined", decision_reason: "buy a plan" });
    expect((await w.api("GET", `/api/v1/pools/${pool}`)).body.pool.total).toBe(5);
    const mine = await w.api("GET", "/api/v1/pool-requests");
    expect(mine.body.pool_requests[0]).toMatchObject({ id: filed.body.pool_request.id, status: "declined" });
  });

  it("leaves a request pending when approving it would strand allocated clients", async () => {
    const pool = await w.purchase("plan_premium_5");
    const filed = await w.api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 1, note: "shrink" });
    await w.onboard(pool);
    await w.onboard(pool);
    const r = await w.supportApi("POST", `/api/support/v1/pool-requests/${filed.body.pool_request.id}/approve`);
    expect(r.body.error.code).toBe("pool_below_used");
    const list = await w.supportApi("GET", "/api/support/v1/pool-requests?status=pending");
    expect(list.body.pool_requests.map((x: { id: string }) => x.id)).toContain(filed.body.pool_request.id);
  });

  it("refuses to approve a request the pool has outgrown since it was filed", async () => {
    const pool = await w.purchase("plan_premium_5");
    const filed = await w.api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 8, note: "" });
    await w.supportApi("POST", `/api/support/v1/pools/${pool}/adjust`, { total: 50, reason: "big deal" });
    const r = await w.supportApi("POST", `/api/support/v1/pool-requests/${filed.body.pool_request.id}/approve`);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: "pool_request_stale", details: { current_total: 50, requested_total: 8 } });
    expect((await w.api("GET", `/api/v1/pools/${pool}`)).body.pool.total).toBe(50);
    expect((await w.supportApi("POST", `/api/support/v1/pool-requests/${filed.body.pool_request.id}/decline`)).status).toBe(200);
  });

  it("logs nothing for an adjustment to the size a pool already has", async () => {
    const pool = await w.purchase("plan_premium_5");
    const r = await w.supportApi("POST", `/api/support/v1/pools/${pool}/adjust`, { total: 5, reason: "no-op" });
    expect(r.body.pool.total).toBe(5);
    expect((await w.api("GET", `/api/v1/activity?pool_id=${pool}&action=pool.adjusted`)).body.activity).toHaveLength(0);
  });

  it("refuses pool requests for foreign pools and silly sizes", async () => {
    const pool = await w.purchase("plan_premium_5");
    expect((await w.bobApi("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 9, note: "" })).status).toBe(404);
    expect(
      (await w.api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 0, note: "" })).body.error.details.field,
    ).toBe("requested_total");
    expect(
      (await w.api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 5, note: "" })).body.error.details.field,
    ).toBe("requested_total");
  });

  it("grants an extra pool from support, sourced as an adjustment", async () => {
    const r = await w.supportApi("POST", `/api/support/v1/resellers/${w.alice.reseller.id}/pools`, {
      license_type: "business",
      total: 3,
      reason: "migration",
    });
    expect(r.status).toBe(201);
    expect(r.body.pool).toMatchObject({ license_type: "business", name: "Support grant", total: 3, source: "adjustment" });
    expect((await w.api("GET", "/api/v1/pools")).body.pools[0].id).toBe(r.body.pool.id);
  });
});
