import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browser } from "./helpers/browser.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { client, makeReseller, makeSupport, startServer, type TestServer } from "./helpers/world.js";

const PASSWORD = "correct horse battery";

/**
 * Sign-in and sessions: generic errors, lockout after repeated failures (per email and per address), session expiry
 * (absolute and idle), signing out everywhere; and the security headers on API answers and the dashboard.
 * Each lockout scenario gets its own server: the per-address rate limit (10 sign-ins a minute) is per process.
 */
describe.each(await dialectsUnderTest())("sign-in security on %s", (dialect) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const start = async (opts: NonNullable<Parameters<typeof startServer>[1]>) => {
    const s = await startServer(dialect, opts);
    servers.push(s);
    return s;
  };

  it("answers every failure the same way, then locks the email out with 429 login_locked and Retry-After", async () => {
    const server = await start({ access: { maxFailuresPerEmail: 3, maxFailuresPerIp: 100, lockoutMs: 10 * 60_000 } });
    const r = await makeReseller(server.db, { password: PASSWORD });
    const other = await makeReseller(server.db, { password: PASSWORD });
    const b = browser(server.url);

    const unknown = await b.signIn("nobody@example.com", PASSWORD);
    const wrong = await b.signIn(r.email, "wrong password!");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    // Nothing tells an unknown email from a wrong password.
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error).toEqual({ code: "invalid_credentials", message: "Email or password is wrong." });

    expect((await b.signIn(r.email, "wrong again!!")).status).toBe(401);
    expect((await b.signIn(r.email.toUpperCase(), "and again!!!")).status).toBe(401);
    // Locked: even the right password is refused now, without being checked.
    const locked = await b.signIn(r.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("login_locked");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(9 * 60);
    expect(retryAfter).toBeLessThanOrEqual(10 * 60);
    expect(locked.body.error.details.retry_after_s).toBe(retryAfter);

    // Other accounts from the same address are unaffected.
    expect((await browser(server.url).signIn(other.email, PASSWORD)).status).toBe(200);

    // When the lock runs out, the right password works again and clears the count.
    await server.db
      .updateTable("login_throttles")
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where("locked_until", "is not", null)
      .execute();
    expect((await b.signIn(r.email, PASSWORD)).status).toBe(200);
  });

  it("locks a client address out after failures across many emails", async () => {
    const server = await start({ access: { maxFailuresPerEmail: 100, maxFailuresPerIp: 3 } });
    const r = await makeReseller(server.db, { password: PASSWORD });
    const b = browser(server.url);
    for (const who of ["a", "b", "c"]) expect((await b.signIn(`${who}@example.com`, "guess-guess")).status).toBe(401);
    const locked = await b.signIn(r.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("login_locked");
  });

  it("counts guesses sent in parallel before checking any: no more than the allowance get their password checked", async () => {
    const server = await start({ access: { maxFailuresPerEmail: 5, maxFailuresPerIp: 100 } });
    const r = await makeReseller(server.db, { password: PASSWORD });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => browser(server.url).signIn(r.email, `parallel guess ${i}`)),
    );
    const codes = answers.map((a) => a.body.error.code);
    expect(codes.filter((c) => c === "invalid_credentials").length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === "login_locked").length).toBeGreaterThanOrEqual(5);
    const lock = await server.db
      .selectFrom("login_throttles")
      .select("locked_until")
      .where("locked_until", "is not", null)
      .execute();
    expect(lock.length).toBe(1);
  });

  it("keeps no email in clear in the throttle table", async () => {
    const server = await start({});
    const b = browser(server.url);
    await b.signIn("typo-password-in-email-box@example.com", "x");
    const rows = await server.db.selectFrom("login_throttles").selectAll().execute();
    expect(rows.length).toBe(2);
    expect(JSON.stringify(rows)).not.toContain("typo-password");
  });

  describe("sessions", () => {
    let server: TestServer;
    let reseller: Awaited<ReturnType<typeof makeReseller>>;
    beforeAll(async () => {
      server = await start({ access: { sessionTtlMs: 3 * 3600_000, sessionIdleMs: 30 * 60_000 } });
      reseller = await makeReseller(server.db, { password: PASSWORD });
    });

    it("sets the cookie to end with the session (SESSION_TTL_HOURS)", async () => {
      const b = browser(server.url);
      const signed = await b.signIn(reseller.email, PASSWORD);
      const expires = /Expires=([^;]+)/i.exec(signed.headers.get("set-cookie") ?? "")?.[1] ?? "";
      const inMs = Date.parse(expires) - Date.now();
      expect(inMs).toBeGreaterThan(3 * 3600_000 - 120_000);
      expect(inMs).toBeLessThanOrEqual(3 * 3600_000);
    });

    it("ends a session at its absolute expiry", async () => {
      const b = browser(server.url);
      await b.signIn(reseller.email, PASSWORD);
      expect((await b("GET", "/api/v1/pools")).status).toBe(200);
      await server.db
        .updateTable("sessions")
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where("user_id", "=", (await b("GET", "/api/auth/session")).body.user.id)
        .execute();
      expect((await b("GET", "/api/v1/pools")).status).toBe(401);
      expect((await b("GET", "/api/auth/session")).body).toEqual({ user: null, csrf_token: null });
    });

    it("ends a session left idle longer than SESSION_IDLE_MINUTES", async () => {
      const b = browser(server.url);
      const { user } = (await b.signIn(reseller.email, PASSWORD)).body;
      await server.db
        .updateTable("sessions")
        .set({ last_seen_at: new Date(Date.now() - 29 * 60_000).toISOString() })
        .where("user_id", "=", user.id)
        .execute();
      // 29 minutes idle: still fine, and the request counts as activity.
      expect((await b("GET", "/api/v1/pools")).status).toBe(200);
      const seen = await server.db.selectFrom("sessions").select("last_seen_at").where("user_id", "=", user.id).execute();
      expect(seen.every((s) => Date.now() - Date.parse(s.last_seen_at ?? "") < 60_000)).toBe(true);
      await server.db
        .updateTable("sessions")
        .set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() })
        .where("user_id", "=", user.id)
        .execute();
      expect((await b("GET", "/api/v1/pools")).status).toBe(401);
    });

    it("signs out everywhere: every session of the user ends, other users' stay", async () => {
      const laptop = browser(server.url);
      const phone = browser(server.url);
      await laptop.signIn(reseller.email, PASSWORD);
      await phone.signIn(reseller.email, PASSWORD);
      const support = await makeSupport(server.db, { password: PASSWORD });
      const someoneElse = browser(server.url);
      await someoneElse.signIn(support.email, PASSWORD);

      const forged = await laptop("POST", "/api/auth/logout-everywhere", undefined, { "x-csrf-token": "guess" });
      expect(forged.status).toBe(403);
      expect(forged.body.error.code).toBe("csrf_failed");

      const out = await laptop("POST", "/api/auth/logout-everywhere");
      expect(out.status).toBe(200);
      expect(out.body.sessions_ended).toBeGreaterThanOrEqual(2);
      expect((await laptop("GET", "/api/v1/pools")).status).toBe(401);
      expect((await phone("GET", "/api/v1/pools")).status).toBe(401);
      expect((await someoneElse("GET", "/api/support/v1/resellers")).status).toBe(200);
      // API keys are not sessions: they keep working.
      expect((await client(server.url, reseller.api_key)("GET", "/api/v1/pools")).status).toBe(200);

      const again = browser(server.url);
      await again.signIn(reseller.email, PASSWORD);
      const log = await again("GET", "/api/v1/activity?action=user.signed_out_everywhere");
      expect(log.body.activity[0]).toMatchObject({ actor: `user ${reseller.email}` });
      expect((await client(server.url)("POST", "/api/auth/logout-everywhere")).status).toBe(401);
    });
  });
});

describe("security headers", () => {
  let server: TestServer;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), "licensepool-web-"));
    writeFileSync(join(webRoot, "index.html"), '<!doctype html><html><body><div id="root"></div></body></html>');
    server = await startServer("sqlite", { webRoot });
  });
  afterAll(async () => {
    await server.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it("every API answer, success or error, carries the fixed API set", async () => {
    const r = await makeReseller(server.db);
    for (const res of [
      await fetch(`${server.url}/api/v1/pools`, { headers: { authorization: `Bearer ${r.api_key}` } }),
      await fetch(`${server.url}/api/v1/pools`),
      await fetch(`${server.url}/api/v1/nothing-here`),
      await fetch(`${server.url}/api/auth/session`),
      // The router decodes the path; the headers must follow the route it reached, not the spelling of the URL.
      await fetch(`${server.url}/%61pi/v1/pools`, { headers: { authorization: `Bearer ${r.api_key}` } }),
    ]) {
      const h = res.headers;
      expect(h.get("content-security-policy"), res.url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(h.get("x-content-type-options")).toBe("nosniff");
      expect(h.get("x-frame-options")).toBe("DENY");
      expect(h.get("cache-control")).toBe("no-store");
      expect(h.get("referrer-policy")).toBe("no-referrer");
      expect(h.get("strict-transport-security")).toMatch(/max-age=\d+/);
    }
  });

  it("the dashboard is served with a Content-Security-Policy that allows only its own scripts", async () => {
    for (const path of ["/", "/settings", "/invite/lp_inv_x"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      const csp = Object.fromEntries(
        (res.headers.get("content-security-policy") ?? "")
          .split(";")
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      );
      expect(csp["default-src"]).toEqual(["'self'"]);
      expect(csp["script-src"]).toEqual(["'self'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
      expect(csp["frame-ancestors"]).toEqual(["'none'"]);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBeTruthy();
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      expect(res.headers.get("referrer-policy")).toBeTruthy();
    }
  });
});
