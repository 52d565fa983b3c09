import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { startWorld, type World } from "./helpers/world.js";

/** The public top-500 sites list, as real-world input: odd TLDs, `www.` and bare hosts, long names. */
const allSites = createRequire(import.meta.url)("top-sites") as { rank: number; rootDomain: string }[];
// The list has a truncated entry ("marketingplatform.google...."): real data, and the API must refuse it cleanly.
const malformed = allSites.filter((s) => s.rootDomain.includes(".."));
const topSites = allSites.filter((s) => !malformed.includes(s));

/** Runs `fn` over `items`, `width` at a time: real concurrency without opening 500 sockets at once. */
async function inBatches<T, R>(items: T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width)
    out.push(...(await Promise.all(items.slice(i, i + width).map((x, j) => fn(x, i + j)))));
  return out;
}

describe.each(await dialectsUnderTest())("the top 500 sites, onboarded and checked in over HTTP (%s)", (dialect) => {
  let w: World;
  const pools: { id: string; total: number; license_type: string }[] = [];
  const clients: { id: string; site_key: string; domain: string; pool: string | null }[] = [];

  beforeAll(async () => {
    w = await startWorld(dialect);
    for (const plan of [
      "plan_premium_100",
      "plan_premium_100",
      "plan_premium_100",
      "plan_business_50",
      "plan_business_50",
      "plan_premium_25",
      "plan_premium_25",
    ]) {
      const { pool } = (await w.api("POST", "/api/v1/purchases", { plan_id: plan })).body;
      pools.push(pool);
    }
  });
  afterAll(() => w.server.close());

  it("refuses the malformed entries with a validation error naming site_url", async () => {
    expect(allSites).toHaveLength(500);
    expect(malformed.length).toBeGreaterThan(0);
    for (const site of malformed) {
      const r = await w.api("POST", "/api/v1/clients", { name: site.rootDomain, site_url: `https://${site.rootDomain}/` });
      expect(r.status).toBe(400);
      expect(r.body.error.details.field).toBe("site_url");
    }
  });

  it("onboards every other site across the pools (450 slots), the rest without a license", async () => {
    const slots = pools.flatMap((p) => Array.from({ length: p.total }, () => p.id));
    expect(slots).toHaveLength(450);
    const results = await inBatches(topSites, 25, (site, i) =>
      w.api("POST", "/api/v1/clients", {
        name: `#${site.rank} ${site.rootDomain}`,
        // Alternate spellings a reseller might paste; all must be accepted.
        site_url: i % 2 ? `https://${site.rootDomain}/` : `http://${site.rootDomain.toUpperCase()}`,
        pool_id: slots[i] ?? null,
      }),
    );
    for (const [i, r] of results.entries()) {
      expect(r.status, topSites[i]?.rootDomain).toBe(201);
      clients.push({
        id: r.body.client.id,
        site_key: r.body.site_key,
        domain: topSites[i]?.rootDomain ?? "",
        pool: slots[i] ?? null,
      });
    }
    const listed = await w.api("GET", "/api/v1/pools");
    for (const p of listed.body.pools) expect(p).toMatchObject({ used: p.total, unallocated: 0 });
  });

  it("refuses each site a second time under another spelling", async () => {
    const again = await inBatches(topSites.slice(0, 60), 20, (site) =>
      w.api("POST", "/api/v1/clients", { name: "dup", site_url: `HTTPS://www.${site.rootDomain.replace(/^www\./, "")}:443/` }),
    );
    for (const r of again) expect(r.body.error?.code).toBe("site_already_registered");
  });

  it("checks every site in as its plugin would and gets the right answer", async () => {
    const answers = await inBatches(clients, 25, (c) =>
      w.checkIn(c.site_key, { site_url: `https://www.${c.domain.replace(/^www\./, "")}`, plugin_version: "5.0.1" }),
    );
    for (const [i, a] of answers.entries()) {
      const c = clients[i];
      if (!c) throw new Error("missing client");
      expect(a.status).toBe(200);
      const pool = pools.find((p) => p.id === c.pool);
      expect(a.body.status).toBe(pool ? "licensed" : "unlicensed");
      expect(a.body.tier).toBe(pool ? pool.license_type : "free");
      expect(a.body.features.firewall_rules).toBe(Boolean(pool));
    }
  });

  it("revokes 30 and suspends 20, and every count and answer follows", async () => {
    const licensed = clients.filter((c) => c.pool);
    const revoked = licensed.filter((_, i) => i % 15 === 0).slice(0, 30);
    const suspended = licensed.filter((_, i) => i % 15 === 7).slice(0, 20);
    expect(revoked).toHaveLength(30);
    expect(suspended).toHaveLength(20);
    await inBatches(revoked, 10, async (c) =>
      expect((await w.api("DELETE", `/api/v1/clients/${c.id}/license`)).status).toBe(200),
    );
    await inBatches(suspended, 10, async (c) =>
      expect((await w.api("POST", `/api/v1/clients/${c.id}/suspend`)).status).toBe(200),
    );

    const listed = (await w.api("GET", "/api/v1/pools")).body.pools as {
      id: string;
      used: number;
      total: number;
      unallocated: number;
    }[];
    let usedTotal = 0;
    for (const p of listed) {
      const expected = licensed.filter((c) => c.pool === p.id && !revoked.includes(c)).length;
      expect(p.used).toBe(expected);
      expect(p.unallocated).toBe(p.total - expected);
      const holders = (await w.api("GET", `/api/v1/pools/${p.id}?limit=200`)).body.clients;
      expect(holders).toHaveLength(expected);
      usedTotal += p.used;
    }
    expect(usedTotal).toBe(420);

    const answers = await inBatches(clients, 25, (c) => w.checkIn(c.site_key));
    const count = (s: string) => answers.filter((a) => a.body.status === s).length;
    expect(count("licensed")).toBe(400);
    expect(answers).toHaveLength(topSites.length);
    expect(count("suspended")).toBe(20);
    expect(count("unlicensed")).toBe(30 + topSites.length - 450);
    const suspendedAnswer = answers[clients.indexOf(suspended[0] as (typeof clients)[number])];
    expect(suspendedAnswer?.body).toMatchObject({ status: "suspended", tier: "free", features: { threat_intel_sync: false } });
  });
});
