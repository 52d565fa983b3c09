import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, makeReseller, makeSupport, startServer, type TestServer } from "./helpers/world.js";

const PASSWORD = "correct horse battery";

/** A tiny cookie-keeping browser stand-in: the dashboard's way of calling the API. */
function browser(base: string) {
  let cookie = "";
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0] ?? "";
    return { status: res.status, body: (await res.json()) as any, setCookie: set };
  };
}

describe("dashboard sessions", () => {
  let server: TestServer;
  let reseller: Awaited<ReturnType<typeof makeReseller>>;
  let support: Awaited<ReturnType<typeof makeSupport>>;
  beforeAll(async () => {
    server = await startServer("sqlite");
    reseller = await makeReseller(server.db, { password: PASSWORD });
    support = await makeSupport(server.db, { password: PASSWORD });
  });
  afterAll(() => server.close());

  it("signs in with email and password into an HttpOnly, SameSite=Lax cookie", async () => {
    const b = browser(server.url);
    const wrong = await b("POST", "/api/auth/login", { email: reseller.email, password: "nope-nope-nope" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("invalid_credentials");
    const ok = await b("POST", "/api/auth/login", { email: reseller.email.toUpperCase(), password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.setCookie).toMatch(/HttpOnly/i);
    expect(ok.setCookie).toMatch(/SameSite=Lax/i);
    expect(ok.setCookie).not.toMatch(/Secure/i); // plain http in tests; Secure behind TLS
    expect(ok.body.user).toMatchObject({ role: "reseller", reseller_id: reseller.reseller.id });
    expect(ok.body.csrf_token).toBeTruthy();
    expect((await b("GET", "/api/v1/pools")).status).toBe(200);
    expect((await b("GET", "/api/auth/session")).body.user.email).toBe(reseller.email);
  });

  it("refuses cookie-authenticated writes without the CSRF token", async () => {
    const b = browser(server.url);
    const { body } = await b("POST", "/api/auth/login", { email: reseller.email, password: PASSWORD });
    const forged = await b("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe("csrf_failed");
    const wrong = await b("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, { "x-csrf-token": "guess" });
    expect(wrong.status).toBe(403);
    expect((await b("GET", "/api/v1/pools")).body.pools).toHaveLength(0);
    const real = await b("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, { "x-csrf-token": body.csrf_token });
    expect(real.status).toBe(201);
    const log = await b("GET", "/api/v1/activity?action=plan.purchased");
    expect(log.body.activity[0].actor).toBe(`user ${reseller.email}`);
  });

  it("keeps reseller users out of the support console and support users out of reseller data", async () => {
    const r = browser(server.url);
    await r("POST", "/api/auth/login", { email: reseller.email, password: PASSWORD });
    expect((await r("GET", "/api/support/v1/resellers")).status).toBe(403);
    const s = browser(server.url);
    const login = await s("POST", "/api/auth/login", { email: support.email, password: PASSWORD });
    expect(login.body.user.role).toBe("support");
    expect((await s("GET", "/api/support/v1/resellers")).status).toBe(200);
    expect((await s("GET", "/api/v1/pools")).status).toBe(403);
  });

  it("signs out: the cookie no longer works", async () => {
    const b = browser(server.url);
    await b("POST", "/api/auth/login", { email: reseller.email, password: PASSWORD });
    expect((await b("POST", "/api/auth/logout")).status).toBe(200);
    expect((await b("GET", "/api/v1/pools")).status).toBe(401);
    expect((await b("GET", "/api/auth/session")).body).toEqual({ user: null, csrf_token: null });
  });

  it("slows down password guessing", async () => {
    const b = browser(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await b("POST", "/api/auth/login", { email: "guess@example.com", password: `guess-${i}` })).status);
    expect(statuses).toContain(429);
  });
});

describe("API key rotation", () => {
  it("issues a new key once; the old one stops working at once", async () => {
    const server = await startServer("sqlite");
    try {
      const r = await makeReseller(server.db);
      const old = client(server.url, r.api_key);
      const rotated = await old("POST", "/api/v1/api-key/rotate");
      expect(rotated.status).toBe(200);
      expect(rotated.body.api_key).toMatch(/^lp_live_/);
      expect(rotated.body.reseller.api_key_prefix).toBe(
        rotated.body.api_key.slice(0, rotated.body.reseller.api_key_prefix.length),
      );
      expect((await old("GET", "/api/v1/me")).status).toBe(401);
      const fresh = client(server.url, rotated.body.api_key);
      expect((await fresh("GET", "/api/v1/me")).body.reseller.id).toBe(r.reseller.id);
      expect((await fresh("GET", "/api/v1/activity?action=reseller.api_key_rotated")).body.activity).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
