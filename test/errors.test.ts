import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { client, startWorld, type World } from "./helpers/world.js";

describe.each(await dialectsUnderTest())("errors and isolation between resellers (%s)", (dialect) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(dialect);
  });
  afterAll(() => w.server.close());

  it("answers 401 unauthorized without or with a wrong key", async () => {
    const anon = client(w.server.url);
    for (const path of ["/api/v1/pools", "/api/v1/clients", "/api/v1/plans", "/api/v1/activity"]) {
      const r = await anon("GET", path);
      expect(r.status, path).toBe(401);
      expect(r.body.error.code).toBe("unauthorized");
    }
    expect((await client(w.server.url, "lp_live_wrong")("GET", "/api/v1/pools")).status).toBe(401);
    const plugin = await client(w.server.url, "lp_site_wrong")("POST", "/api/plugin/v1/check-in", {});
    expect(plugin.status).toBe(401);
    expect((await anon("POST", "/api/plugin/v1/check-in", {})).status).toBe(401);
  });

  it("treats another reseller's ids as not found, and changes nothing of theirs", async () => {
    const pool = await w.purchase("plan_premium_5");
    const { client: c, site_key } = await w.onboard(pool);
    const bobPool = (await w.bobApi("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const bobClient = (await w.bobApi("POST", "/api/v1/clients", { name: "Bob's", site_url: "https://bobs.example.com" })).body
      .client.id;
    const attempts: [string, string, unknown?][] = [
      ["GET", `/api/v1/pools/${pool}`],
      ["GET", `/api/v1/clients/${c.id}`],
      ["PATCH", `/api/v1/clients/${c.id}`, { name: "pwned" }],
      ["DELETE", `/api/v1/clients/${c.id}/license`],
      ["POST", `/api/v1/clients/${c.id}/suspend`],
      ["POST", `/api/v1/clients/${c.id}/resume`],
      ["POST", `/api/v1/clients/${c.id}/site-key`],
      ["POST", `/api/v1/clients/${c.id}/license/reissue`, { pool_id: bobPool }],
      ["DELETE", `/api/v1/clients/${c.id}`],
      ["POST", `/api/v1/pools/${pool}/allocations`, { client_id: bobClient }],
      ["POST", `/api/v1/pools/${bobPool}/allocations`, { client_id: c.id }],
      ["POST", "/api/v1/clients", { name: "x", site_url: "https://x-steal.example.com", pool_id: pool }],
      ["POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 50, note: "" }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await w.bobApi(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe("not_found");
      expect(JSON.stringify(r.body)).not.toContain(c.id);
    }
    expect((await w.api("GET", `/api/v1/clients/${c.id}`)).body.client).toMatchObject({
      name: `Client 1`,
      status: "active",
      license: { pool_id: pool },
    });
    expect((await w.api("GET", `/api/v1/pools/${pool}`)).body.pool.used).toBe(1);
    expect((await w.checkIn(site_key)).body.status).toBe("licensed");
    expect(
      (await w.bobApi("GET", "/api/v1/activity?limit=200")).body.activity.every(
        (a: { client_id: string }) => a.client_id !== c.id,
      ),
    ).toBe(true);
    expect((await w.bobApi("GET", "/api/v1/clients?limit=200")).body.clients.map((x: { id: string }) => x.id)).not.toContain(
      c.id,
    );
  });

  it("names the field at fault for bad input, and never answers 500", async () => {
    const pool = await w.purchase("plan_premium_5");
    const clientsBefore = (await w.api("GET", "/api/v1/clients?limit=200")).body.clients.length;
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/v1/clients", { site_url: "https://a.example.com" }, "name"],
      ["POST", "/api/v1/clients", { name: "x".repeat(201), site_url: "https://a.example.com" }, "name"],
      ["POST", "/api/v1/clients", { name: "   ", site_url: "https://a.example.com" }, "name"],
      ["POST", "/api/v1/clients", { name: "A", site_url: "ftp://a.example.com" }, "site_url"],
      ["POST", "/api/v1/clients", { name: "A", site_url: "javascript:alert(1)" }, "site_url"],
      ["POST", "/api/v1/clients", { name: "A", site_url: "https://user:pw@a.example.com" }, "site_url"],
      ["POST", "/api/v1/clients", { name: "A", site_url: "https://nohost" }, "site_url"],
      ["POST", "/api/v1/clients", { name: "A", site_url: 42 }, "site_url"],
      ["POST", "/api/v1/clients", { name: ["A"], site_url: "https://a.example.com" }, "name"],
      ["POST", "/api/v1/purchases", {}, "plan_id"],
      ["POST", `/api/v1/pools/${pool}/allocations`, { client_id: 7 }, "client_id"],
      ["POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 2.5, note: "" }, "requested_total"],
      ["POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: "9", note: "" }, "requested_total"],
      ["GET", "/api/v1/clients?limit=0", undefined, "limit"],
      ["GET", "/api/v1/clients?limit=201", undefined, "limit"],
      ["GET", "/api/v1/clients?cursor=garbage", undefined, "cursor"],
      ["GET", "/api/v1/activity?limit=-1", undefined, "limit"],
      ["POST", "/api/v1/clients", { name: "A", site_url: "https://typo.example.com", poolid: pool }, "poolid"],
      ["POST", "/api/v1/clients", { name: "A\u0000B", site_url: "https://nul.example.com" }, "name"],
      ["POST", "/api/v1/clients", { name: "A", site_url: "https://nul.example.com/%00" }, "site_url"],
      ["POST", "/api/v1/clients", { name: "A", site_url: `https://long.example.com/${"\u4e00".repeat(950)}` }, "site_url"],
      ["POST", "/api/v1/purchases", { plan_id: "plan\u0000" }, "plan_id"],
      ["GET", "/api/v1/clients?q=%00", undefined, "q"],
      ["GET", "/api/v1/clients/%00", undefined, "id"],
      ["GET", `/api/v1/clients/${"x".repeat(101)}`, undefined, "id"],
      ["GET", `/api/v1/clients/${"x".repeat(600)}`, undefined, "url"],
      ["GET", "/api/v1/clients/%ZZ", undefined, "url"],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await w.api(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
      expect(r.body.error.details.field, `${path} ${JSON.stringify(body)}`).toBe(field);
    }
    expect((await w.api("GET", "/api/v1/clients?limit=200")).body.clients).toHaveLength(clientsBefore);
    expect((await w.api("GET", `/api/v1/pools/${pool}`)).body.pool.used).toBe(0);
  });

  it("stores long international names and hosts without tripping index limits", async () => {
    const label = (n: number) =>
      Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join("");
    const host = `${label(14)}.${label(14)}.${label(14)}.com`;
    const r = await w.api("POST", "/api/v1/clients", { name: label(200), site_url: `https://${host}/${label(10)}` });
    expect(r.status).toBeLessThan(500);
    expect(r.status).toBe(201);
    const found = await w.api("GET", `/api/v1/clients?q=${encodeURIComponent(label(14))}`);
    expect(found.body.clients.map((c: { id: string }) => c.id)).toContain(r.body.client.id);
  });

  it("answers unknown ids with 404 not_found", async () => {
    const pool = await w.purchase("plan_premium_5");
    const { client: c } = await w.onboard();
    expect((await w.api("POST", "/api/v1/purchases", { plan_id: "plan_nope" })).body.error.code).toBe("not_found");
    expect((await w.api("POST", `/api/v1/pools/pool_nope/allocations`, { client_id: c.id })).status).toBe(404);
    expect((await w.api("POST", `/api/v1/pools/${pool}/allocations`, { client_id: "cli_nope" })).status).toBe(404);
    expect(
      (await w.api("POST", "/api/v1/clients", { name: "Q", site_url: "https://q.example.com", pool_id: "pool_nope" })).status,
    ).toBe(404);
    expect((await w.api("GET", "/api/v1/clients?limit=200&q=q.example")).body.clients).toHaveLength(0);
    expect((await w.api("GET", "/api/v1/nothing-here")).status).toBe(404);
  });

  it("rejects malformed JSON and oversized bodies with 4xx", async () => {
    const raw = (body: string, type = "application/json") =>
      fetch(`${w.server.url}/api/v1/clients`, {
        method: "POST",
        headers: { authorization: `Bearer ${w.alice.api_key}`, "content-type": type },
        body,
      });
    const bad = await raw("{nope");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation_error");
    const nested = await raw(`{"name":${"[".repeat(30_000)}${"]".repeat(30_000)}}`);
    expect(nested.status).toBe(400);
    const big = await raw(JSON.stringify({ name: "x".repeat(100_000), site_url: "https://big.example.com" }));
    expect(big.status).toBe(413);
    const text = await raw("name=x", "text/plain");
    expect(text.status).toBe(400);
    const empty = await raw("");
    expect(empty.status).toBe(400);
    // Unauthenticated inputs that reach the database are covered too.
    const login = await fetch(`${w.server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "\u0000", password: "x" }),
    });
    expect(login.status).toBe(400);
    const { site_key } = await w.onboard();
    expect((await w.checkIn(site_key, { plugin_version: "1\u00002" })).status).toBe(400);
  });
});

describe("requests the HTTP parser refuses", () => {
  it("answers raw non-ASCII in the URL with the API's error shape", async () => {
    const { createConnection } = await import("node:net");
    const { startServer } = await import("./helpers/world.js");
    const server = await startServer("sqlite");
    try {
      const { port } = new URL(server.url);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = createConnection({ host: "127.0.0.1", port: Number(port) }, () => {
          socket.write(
            Buffer.concat([
              Buffer.from("GET /api/v1/clients?q="),
              Buffer.from("bücher", "utf8"),
              Buffer.from(" HTTP/1.1\r\nHost: x\r\n\r\n"),
            ]),
          );
        });
        let data = "";
        socket.on("data", (d) => {
          data += d.toString();
        });
        socket.on("end", () => resolve(data));
        socket.on("error", reject);
      });
      expect(reply).toMatch(/^HTTP\/1.1 400/);
      const body = JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4));
      expect(body.error).toMatchObject({ code: "validation_error", details: { field: "url" } });
    } finally {
      await server.close();
    }
  });
});
