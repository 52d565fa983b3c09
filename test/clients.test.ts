import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { startWorld, type World } from "./helpers/world.js";

describe.each(await dialectsUnderTest())("clients and plugin check-in (%s)", (dialect) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(dialect);
  });
  afterAll(() => w.server.close());

  it("tells the plugin about a new license on its next check-in, and falls back to free after revoke", async () => {
    const pool = await w.purchase("plan_premium_5");
    const { client, site_key } = await w.onboard();
    const before = await w.checkIn(site_key, { site_url: client.site_url, plugin_version: "4.2.0" });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: "unlicensed", tier: "free", license_type: null });
    expect(before.body.features).toEqual({ firewall_rules: false, malware_signatures: false, threat_intel_sync: false });

    await w.api("POST", `/api/v1/pools/${pool}/allocations`, { client_id: client.id });
    const checkedInAt = new Date().toISOString();
    const licensed = await w.checkIn(site_key);
    expect(licensed.body).toMatchObject({ status: "licensed", tier: "premium", license_type: "premium", client_id: client.id });
    expect(licensed.body.features).toEqual({ firewall_rules: true, malware_signatures: true, threat_intel_sync: true });
    expect(licensed.body.next_check_in_s).toBeGreaterThan(0);
    expect(licensed.body.signed_license).toMatchObject({ kid: licensed.body.key_id });

    // Last-seen fields are written in batches, not per check-in: nothing yet, then both check-ins' news at once.
    const unflushed = (await w.api("GET", `/api/v1/clients/${client.id}`)).body.client;
    expect(unflushed.last_check_in_at).toBeNull();
    await w.server.app.licensing.flushCheckIns();
    const seen = (await w.api("GET", `/api/v1/clients/${client.id}`)).body.client;
    expect(seen.last_check_in_at >= checkedInAt).toBe(true);
    expect(seen.plugin_version).toBe("4.2.0");

    await w.api("DELETE", `/api/v1/clients/${client.id}/license`);
    const after = await w.checkIn(site_key);
    expect(after.body).toMatchObject({ status: "unlicensed", tier: "free", license_type: null });
    expect(Object.values(after.body.features)).toEqual([false, false, false]);
  });

  it("suspends without touching pool counts, and resumes", async () => {
    const pool = await w.purchase("plan_premium_5");
    const { client, site_key } = await w.onboard(pool);
    const suspended = await w.api("POST", `/api/v1/clients/${client.id}/suspend`);
    expect(suspended.body.client).toMatchObject({ status: "suspended", license: { pool_id: pool } });
    expect((await w.api("GET", `/api/v1/pools/${pool}`)).body.pool.used).toBe(1);
    const plugin = await w.checkIn(site_key);
    expect(plugin.body).toMatchObject({ status: "suspended", tier: "free", license_type: "premium" });
    expect(Object.values(plugin.body.features)).toEqual([false, false, false]);
    // Suspending twice changes nothing and logs nothing.
    await w.api("POST", `/api/v1/clients/${client.id}/suspend`);
    const resumed = await w.api("POST", `/api/v1/clients/${client.id}/resume`);
    expect(resumed.body.client.status).toBe("active");
    expect((await w.checkIn(site_key)).body.status).toBe("licensed");
    const actions = (await w.api("GET", `/api/v1/activity?client_id=${client.id}`)).body.activity.map(
      (a: { action: string }) => a.action,
    );
    expect(actions).toEqual(["client.resumed", "client.suspended", "license.allocated", "client.created"]);
  });

  it("offboards a client and returns its slot", async () => {
    const pool = await w.purchase("plan_premium_5");
    const { client, site_key } = await w.onboard(pool);
    const gone = await w.api("DELETE", `/api/v1/clients/${client.id}`);
    expect(gone.status).toBe(200);
    expect(gone.body.pool).toMatchObject({ id: pool, used: 0 });
    expect((await w.api("GET", `/api/v1/clients/${client.id}`)).status).toBe(404);
    expect((await w.checkIn(site_key)).status).toBe(401);
    const log = (await w.api("GET", `/api/v1/activity?client_id=${client.id}`)).body.activity;
    expect(log[0]).toMatchObject({ action: "client.deleted", before: { license: { pool_id: pool } } });
  });

  it("regenerates the site key: the old key stops working, the new one works", async () => {
    const { client, site_key } = await w.onboard();
    const r = await w.api("POST", `/api/v1/clients/${client.id}/site-key`);
    expect(r.status).toBe(200);
    expect(r.body.site_key).not.toBe(site_key);
    expect(r.body.client.site_key_prefix).toBe(r.body.site_key.slice(0, r.body.client.site_key_prefix.length));
    expect((await w.checkIn(site_key)).status).toBe(401);
    expect((await w.checkIn(r.body.site_key)).status).toBe(200);
  });

  it("treats spellings of one site as the same site, per reseller", async () => {
    const r1 = await w.api("POST", "/api/v1/clients", { name: "Münchner Shop", site_url: "https://www.münchen-shop.de/" });
    expect(r1.status).toBe(201);
    for (const spelling of ["http://xn--mnchen-shop-thb.de", "HTTPS://MÜNCHEN-SHOP.DE:443", "https://münchen-shop.de/"]) {
      const dup = await w.api("POST", "/api/v1/clients", { name: "Again", site_url: spelling });
      expect(dup.status, spelling).toBe(409);
      expect(dup.body.error).toMatchObject({
        code: "site_already_registered",
        details: { field: "site_url", client_id: r1.body.client.id },
      });
    }
    // A sub-folder install is another site; another reseller may register the same site.
    expect((await w.api("POST", "/api/v1/clients", { name: "Blog", site_url: "https://münchen-shop.de/blog" })).status).toBe(201);
    expect((await w.bobApi("POST", "/api/v1/clients", { name: "Theirs", site_url: "https://münchen-shop.de" })).status).toBe(201);
    // The plugin must present the site its key belongs to.
    const mismatch = await w.checkIn(r1.body.site_key, { site_url: "https://someone-else.example.com" });
    expect(mismatch.status).toBe(403);
    expect(mismatch.body.error.code).toBe("site_mismatch");
    expect((await w.checkIn(r1.body.site_key, { site_url: "http://münchen-shop.de" })).status).toBe(200);
  });

  it("renames and re-points a client, refusing a site it already has", async () => {
    const a = await w.onboard(undefined, "Alpha");
    const b = await w.onboard(undefined, "Beta");
    const renamed = await w.api("PATCH", `/api/v1/clients/${a.client.id}`, {
      name: "Alpha Inc",
      site_url: "https://alpha-new.example.com",
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.client).toMatchObject({ name: "Alpha Inc", site_url: "https://alpha-new.example.com" });
    const clash = await w.api("PATCH", `/api/v1/clients/${b.client.id}`, { site_url: "https://www.alpha-new.example.com" });
    expect(clash.body.error.code).toBe("site_already_registered");
    // Re-saving its own site is not a clash.
    expect((await w.api("PATCH", `/api/v1/clients/${a.client.id}`, { site_url: "https://alpha-new.example.com/" })).status).toBe(
      200,
    );
    const empty = await w.api("PATCH", `/api/v1/clients/${a.client.id}`, {});
    expect(empty.status).toBe(400);
    // Saving unchanged values writes no audit row.
    const updates = async () =>
      (await w.api("GET", `/api/v1/activity?client_id=${a.client.id}&action=client.updated`)).body.activity.length;
    const before = await updates();
    expect((await w.api("PATCH", `/api/v1/clients/${a.client.id}`, { name: "Alpha Inc" })).status).toBe(200);
    expect(await updates()).toBe(before);
  });

  it("searches and pages clients newest first", async () => {
    const names = ["Zeta Bakery", "Zeta Florist", "Zeta Garage", "Omega 100%_off"];
    for (const n of names) await w.onboard(undefined, n);
    const page1 = await w.api("GET", "/api/v1/clients?q=zeta&limit=2");
    expect(page1.body.clients.map((c: { name: string }) => c.name)).toEqual(["Zeta Garage", "Zeta Florist"]);
    const page2 = await w.api("GET", `/api/v1/clients?q=ZETA&limit=2&cursor=${page1.body.next_cursor}`);
    expect(page2.body.clients.map((c: { name: string }) => c.name)).toEqual(["Zeta Bakery"]);
    expect(page2.body.next_cursor).toBeNull();
    // LIKE wildcards in the query are literal characters.
    const literal = await w.api("GET", `/api/v1/clients?q=${encodeURIComponent("%_")}`);
    expect(literal.body.clients.map((c: { name: string }) => c.name)).toEqual(["Omega 100%_off"]);
    const unlicensed = await w.api("GET", "/api/v1/clients?licensed=false&limit=200");
    expect(unlicensed.body.clients.every((c: { license: unknown }) => c.license === null)).toBe(true);
  });
});

describe("check-in abuse", () => {
  it("rate-limits one site key hammering check-in, without affecting other sites", async () => {
    const w = await startWorld("sqlite");
    try {
      const a = await w.onboard();
      const b = await w.onboard();
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await w.checkIn(a.site_key)).status);
      expect(statuses.every((s) => s === 200)).toBe(true);
      const limited = await w.checkIn(a.site_key);
      expect(limited.status).toBe(429);
      // Spelling the scheme differently is still the same key.
      const sneaky = await fetch(`${w.server.url}/api/plugin/v1/check-in`, {
        method: "POST",
        headers: { authorization: `bEaReR   ${a.site_key}` },
      });
      expect(sneaky.status).toBe(429);
      expect(limited.body.error.code).toBe("rate_limited");
      expect((await w.checkIn(b.site_key)).status).toBe(200);
    } finally {
      await w.server.close();
    }
  });
});
