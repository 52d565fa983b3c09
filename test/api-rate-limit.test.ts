import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRateLimitFromEnv } from "../src/server/plugins/api-rate-limit.js";
import { makeReseller, startServer, type TestServer } from "./helpers/world.js";

const LIMIT = 5;

describe("per-key rate limit on the reseller API", () => {
  let server: TestServer;
  let keys: string[];

  beforeAll(async () => {
    server = await startServer("sqlite", { apiRateLimitPerMinute: LIMIT });
    keys = [(await makeReseller(server.db)).api_key, (await makeReseller(server.db)).api_key];
  }, 60_000);
  afterAll(() => server?.close());

  const get = (key: string, path = "/api/v1/plans") =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

  it("lets a key make its requests, then answers 429 rate_limited with Retry-After; another key is unaffected", async () => {
    const [hot, cold] = keys as [string, string];
    for (let i = 0; i < LIMIT; i++) {
      const r = await get(hot);
      expect(r.status).toBe(200);
      expect(r.headers.get("x-ratelimit-limit")).toBe(String(LIMIT));
      expect(r.headers.get("x-ratelimit-remaining")).toBe(String(LIMIT - i - 1));
    }
    const over = await get(hot);
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = await over.json();
    expect(body.error.code).toBe("rate_limited");
    expect(typeof body.error.message).toBe("string");
    // Writes count against the same budget, and are refused before they change anything.
    const write = await fetch(`${server.url}/api/v1/purchases`, {
      method: "POST",
      headers: { authorization: `Bearer ${hot}`, "content-type": "application/json" },
      body: JSON.stringify({ plan_id: "plan_premium_5" }),
    });
    expect(write.status).toBe(429);
    const pools = await server.db.selectFrom("pools").select("id").execute();
    expect(pools).toHaveLength(0);

    expect((await get(cold)).status).toBe(200);
    expect((await get(cold, "/api/v1/pools")).status).toBe(200);
  });

  it("the limit is per credential: spelling the Authorization scheme differently is still the same key", async () => {
    const [hot] = keys as [string, string];
    const r = await fetch(`${server.url}/api/v1/plans`, { headers: { authorization: `bearer   ${hot}` } });
    expect(r.status).toBe(429);
  });
});

describe("API_RATE_LIMIT", () => {
  it("defaults to 1200 requests a minute per key and can be configured", () => {
    expect(apiRateLimitFromEnv({})).toBe(1200);
    expect(apiRateLimitFromEnv({ API_RATE_LIMIT: "50" })).toBe(50);
    expect(() => apiRateLimitFromEnv({ API_RATE_LIMIT: "0" })).toThrow(/API_RATE_LIMIT/);
    expect(() => apiRateLimitFromEnv({ API_RATE_LIMIT: "lots" })).toThrow(/API_RATE_LIMIT/);
  });
});
