import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { client, startServer, type TestServer } from "./helpers/world.js";

const run = promisify(execFile);

describe.each(await dialectsUnderTest())("the admin CLI (npm run cli) on %s", (dialect) => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    // A fresh database of the dialect under test; the CLI and a server then share it through DATABASE_URL.
    server = await startServer(dialect);
    env = { ...process.env, DATABASE_URL: server.databaseUrl };
  });
  afterAll(() => server.close());

  const cli = async (...args: string[]) => (await run("npm", ["run", "cli", "--", ...args], { env })).stdout;
  const lastLine = (out: string) => JSON.parse(out.trim().split("\n").at(-1) ?? "");

  it("creates a reseller whose API key works against a server on the same database", async () => {
    const out = lastLine(await cli("reseller", "create", "--name", "Acme Hosting", "--email", "ops@acme.test", "--json"));
    expect(out.reseller).toMatchObject({ name: "Acme Hosting", email: "ops@acme.test" });
    expect(out.api_key).toMatch(/^lp_live_/);
    expect(out.reseller).not.toHaveProperty("api_key_hash");

    {
      const url = server.url;
      const me = await client(url, out.api_key)("GET", "/api/v1/me");
      expect(me.body.reseller.id).toBe(out.reseller.id);
      const token = lastLine(await cli("support", "token", "create", "--json")).token;
      expect(token).toMatch(/^lp_sup_/);
      const resellers = await client(url, token)("GET", "/api/support/v1/resellers");
      expect(resellers.body.resellers.map((r: { id: string }) => r.id)).toContain(out.reseller.id);
    }
  });

  it("resets a forgotten password: the new one signs in, the old one and its sessions no longer work", async () => {
    await cli("reseller", "create", "--name", "Forgetful", "--email", "forgot@acme.test", "--password", "old-password-1");
    const signIn = (password: string) =>
      fetch(`${server.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "forgot@acme.test", password }),
      });
    const before = await signIn("old-password-1");
    expect(before.status).toBe(200);
    const cookie = before.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(await cli("user", "password", "--email", "Forgot@acme.test", "--password", "new-password-2")).toContain(
      "New password set for forgot@acme.test",
    );
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { cookie } })).status).toBe(401);
    expect((await signIn("old-password-1")).status).toBe(401);
    expect((await signIn("new-password-2")).status).toBe(200);
    await expect(cli("user", "password", "--email", "nobody@acme.test", "--password", "new-password-2")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("not_found"),
    });
    await expect(
      cli("user", "create", "--email", "x@acme.test", "--password", "long-enough-1", "--reseller", "res_nope"),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("not_found: No reseller res_nope") });
  });

  it("prints only JSON under npm -s, for piping into other tools", async () => {
    const { stdout } = await run("npm", ["run", "-s", "cli", "--", "support", "token", "create", "--json"], { env });
    expect(JSON.parse(stdout)).toEqual({ token: expect.stringMatching(/^lp_sup_/) });
  });

  it("fails with one clear line and a non-zero exit on bad input", async () => {
    await expect(cli("reseller", "create", "--name", "Dup", "--email", "ops@acme.test", "--json")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("email_taken"),
    });
    // A bad password creates nothing: the same command with a good one then succeeds.
    await expect(
      cli("reseller", "create", "--name", "Gamma", "--email", "gamma@hosting.test", "--password", "short"),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining("password"),
    });
    const gamma = lastLine(
      await cli(
        "reseller",
        "create",
        "--name",
        "Gamma",
        "--email",
        "gamma@hosting.test",
        "--password",
        "long enough now",
        "--json",
      ),
    );
    expect(gamma.reseller.email).toBe("gamma@hosting.test");
    await expect(cli("reseller", "create", "--name", "X", "--email", "not-an-email")).rejects.toMatchObject({
      stderr: expect.stringContaining("validation_error"),
    });
  });
});
