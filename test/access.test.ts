import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, browser } from "./helpers/browser.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { type Call, client, makeReseller, startServer, type TestServer } from "./helpers/world.js";

const PASSWORD = "correct horse battery";

/**
 * Access: reseller users with roles (owner / staff / viewer), invites, API keys with scopes. Every reseller route is
 * checked in one place against what it declares (read / write / manage); another reseller's ids are 404.
 */
describe.each(await dialectsUnderTest())("access on %s", (dialect) => {
  let server: TestServer;
  let alice: Awaited<ReturnType<typeof makeReseller>>;
  let bob: Awaited<ReturnType<typeof makeReseller>>;
  let owner: Browser;
  let staff: Browser;
  let viewer: Browser;
  let bobOwner: Browser;
  let readKey: Call;
  let readWriteKey: Call;
  let legacyKey: Call;
  let staffEmail: string;
  let viewerEmail: string;
  let n = 0;
  const uniqueEmail = (who: string) => `${who}-${++n}-${Math.random().toString(36).slice(2, 7)}@example.com`;

  /** Owner invites `email` with `role`; the invitee accepts through the link's token in their own browser. */
  async function join(role: "owner" | "staff" | "viewer", email = uniqueEmail(role)): Promise<Browser> {
    const invited = await owner("POST", "/api/v1/users", { email, role });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const token = decodeURIComponent(new URL(invited.body.invite_url).pathname.split("/").pop() ?? "");
    const b = browser(server.url);
    const accepted = await b("POST", `/api/auth/invites/${encodeURIComponent(token)}/accept`, { password: PASSWORD });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    return b;
  }

  beforeAll(async () => {
    server = await startServer(dialect);
    alice = await makeReseller(server.db, { password: PASSWORD });
    bob = await makeReseller(server.db, { password: PASSWORD });
    owner = browser(server.url);
    expect((await owner.signIn(alice.email, PASSWORD)).body.user.reseller_role).toBe("owner");
    bobOwner = browser(server.url);
    await bobOwner.signIn(bob.email, PASSWORD);
    staffEmail = uniqueEmail("staff");
    viewerEmail = uniqueEmail("viewer");
    staff = await join("staff", staffEmail);
    viewer = await join("viewer", viewerEmail);
    const read = await owner("POST", "/api/v1/api-keys", { name: "Reporting", scope: "read" });
    const readWrite = await owner("POST", "/api/v1/api-keys", { name: "Provisioning", scope: "read_write" });
    readKey = client(server.url, read.body.api_key);
    readWriteKey = client(server.url, readWrite.body.api_key);
    legacyKey = client(server.url, alice.api_key);
  });
  afterAll(() => server.close());

  it("an account holder is its owner; their first API key is a read-write key", async () => {
    const keys = await owner("GET", "/api/v1/api-keys");
    const first = keys.body.api_keys.find((k: { prefix: string }) => alice.api_key.startsWith(k.prefix));
    expect(first).toMatchObject({ scope: "read_write", name: "API key", revoked_at: null });
    expect((await legacyKey("GET", "/api/v1/me")).body).toMatchObject({ role: "staff" });
  });

  it("enforces the role matrix: viewers and read-only keys read; staff and read-write keys write; owners manage", async () => {
    type Who = "owner" | "staff" | "viewer" | "read key" | "read-write key";
    const callers: Record<Who, Call> = {
      owner,
      staff,
      viewer,
      "read key": readKey,
      "read-write key": readWriteKey,
    };
    const ops: { kind: "read" | "write" | "manage"; method: string; path: string; body?: () => unknown }[] = [
      { kind: "read", method: "GET", path: "/api/v1/pools" },
      { kind: "read", method: "GET", path: "/api/v1/clients" },
      { kind: "read", method: "GET", path: "/api/v1/activity" },
      { kind: "read", method: "GET", path: "/api/v1/me" },
      { kind: "read", method: "GET", path: "/api/v1/plans" },
      { kind: "write", method: "POST", path: "/api/v1/purchases", body: () => ({ plan_id: "plan_premium_5" }) },
      {
        kind: "write",
        method: "POST",
        path: "/api/v1/clients",
        body: () => ({ name: "Matrix", site_url: `https://${uniqueEmail("m").replace("@", ".")}` }),
      },
      { kind: "manage", method: "GET", path: "/api/v1/users" },
      { kind: "manage", method: "GET", path: "/api/v1/invites" },
      { kind: "manage", method: "GET", path: "/api/v1/api-keys" },
      { kind: "manage", method: "POST", path: "/api/v1/users", body: () => ({ email: uniqueEmail("x"), role: "viewer" }) },
      { kind: "manage", method: "POST", path: "/api/v1/api-keys", body: () => ({ name: "k", scope: "read" }) },
    ];
    const allowed: Record<Who, Set<string>> = {
      owner: new Set(["read", "write", "manage"]),
      staff: new Set(["read", "write"]),
      "read-write key": new Set(["read", "write"]),
      viewer: new Set(["read"]),
      "read key": new Set(["read"]),
    };
    const table: string[] = [];
    for (const [who, call] of Object.entries(callers) as [Who, Call][]) {
      for (const op of ops) {
        const r = await call(op.method, op.path, op.body?.());
        const ok = r.status >= 200 && r.status < 300;
        table.push(`${who} ${op.method} ${op.path}: ${ok ? "allowed" : `${r.status} ${r.body?.error?.code}`}`);
        if (allowed[who].has(op.kind)) expect(ok, `${who} ${op.method} ${op.path} ${JSON.stringify(r.body)}`).toBe(true);
        else {
          expect(r.status, `${who} ${op.method} ${op.path}`).toBe(403);
          expect(r.body.error.code).toBe("forbidden");
        }
      }
    }
    expect(table.length).toBe(ops.length * 5);
  });

  it("a refused write changes nothing", async () => {
    const before = (await owner("GET", "/api/v1/pools")).body.pools.length;
    expect((await viewer("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).status).toBe(403);
    expect((await readKey("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).status).toBe(403);
    expect((await owner("GET", "/api/v1/pools")).body.pools.length).toBe(before);
  });

  it("tells each user their role in the session", async () => {
    expect((await staff("GET", "/api/auth/session")).body.user).toMatchObject({
      email: staffEmail,
      role: "reseller",
      reseller_role: "staff",
      reseller_id: alice.reseller.id,
    });
    expect((await viewer("GET", "/api/auth/session")).body.user.reseller_role).toBe("viewer");
  });

  describe("API keys", () => {
    it("are shown once, listed by prefix and last use only, and record their last use", async () => {
      const created = await owner("POST", "/api/v1/api-keys", { name: "CI deploys", scope: "read" });
      expect(created.status).toBe(201);
      expect(created.body.api_key).toMatch(/^lp_live_/);
      expect(created.body.key).toMatchObject({ name: "CI deploys", scope: "read", last_used_at: null });
      expect(created.body.api_key.startsWith(created.body.key.prefix)).toBe(true);

      const listed = await owner("GET", "/api/v1/api-keys");
      const entry = listed.body.api_keys.find((k: { id: string }) => k.id === created.body.key.id);
      expect(Object.keys(entry).sort()).toEqual(
        ["created_at", "created_by", "id", "last_used_at", "name", "prefix", "revoked_at", "scope"].sort(),
      );
      expect(JSON.stringify(listed.body)).not.toContain(created.body.api_key);
      expect(entry.created_by).toBe(`user ${alice.email}`);

      expect((await client(server.url, created.body.api_key)("GET", "/api/v1/pools")).status).toBe(200);
      const after = (await owner("GET", "/api/v1/api-keys")).body.api_keys.find(
        (k: { id: string }) => k.id === created.body.key.id,
      );
      expect(after.last_used_at).not.toBeNull();
    });

    it("revoked keys stop working on the next request and leave the list", async () => {
      const created = await owner("POST", "/api/v1/api-keys", { name: "Leaked", scope: "read_write" });
      const key = client(server.url, created.body.api_key);
      expect((await key("GET", "/api/v1/me")).status).toBe(200);
      const revoked = await owner("DELETE", `/api/v1/api-keys/${created.body.key.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.key.revoked_at).not.toBeNull();
      const refused = await key("GET", "/api/v1/me");
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe("unauthorized");
      const listed = (await owner("GET", "/api/v1/api-keys")).body.api_keys.map((k: { id: string }) => k.id);
      expect(listed).not.toContain(created.body.key.id);
      expect((await owner("DELETE", `/api/v1/api-keys/${created.body.key.id}`)).status).toBe(404);
      const log = await owner("GET", "/api/v1/activity?action=api_key.revoked");
      expect(log.body.activity[0]).toMatchObject({ subject_id: created.body.key.id, actor: `user ${alice.email}` });
    });

    it("a read-only key can rotate itself (scripts keep POST /api-key/rotate), keeping its scope", async () => {
      const created = await owner("POST", "/api/v1/api-keys", { name: "Rotating", scope: "read" });
      const old = client(server.url, created.body.api_key);
      const rotated = await old("POST", "/api/v1/api-key/rotate");
      expect(rotated.status).toBe(200);
      expect(rotated.body.key).toMatchObject({ id: created.body.key.id, scope: "read", name: "Rotating" });
      expect(rotated.body.reseller.api_key_prefix).toBe(rotated.body.key.prefix);
      expect((await old("GET", "/api/v1/me")).status).toBe(401);
      const fresh = client(server.url, rotated.body.api_key);
      expect((await fresh("GET", "/api/v1/me")).body.reseller.api_key_prefix).toBe(rotated.body.key.prefix);
      expect((await fresh("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).status).toBe(403);
    });

    it("owners rotate any key from the dashboard; staff cannot", async () => {
      const created = await owner("POST", "/api/v1/api-keys", { name: "Owner rotates", scope: "read_write" });
      expect((await staff("POST", `/api/v1/api-keys/${created.body.key.id}/rotate`)).status).toBe(403);
      expect((await staff("POST", "/api/v1/api-key/rotate")).status).toBe(403);
      const rotated = await owner("POST", `/api/v1/api-keys/${created.body.key.id}/rotate`);
      expect(rotated.status).toBe(200);
      expect((await client(server.url, created.body.api_key)("GET", "/api/v1/me")).status).toBe(401);
      expect((await client(server.url, rotated.body.api_key)("GET", "/api/v1/me")).status).toBe(200);
    });

    it("API keys cannot manage keys or users, whatever their scope", async () => {
      for (const key of [readKey, readWriteKey, legacyKey]) {
        expect((await key("POST", "/api/v1/api-keys", { name: "escalate", scope: "read_write" })).status).toBe(403);
        expect((await key("GET", "/api/v1/users")).status).toBe(403);
      }
    });

    it("validates the body strictly", async () => {
      const bad = await owner("POST", "/api/v1/api-keys", { name: "x", scope: "admin" });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe("scope");
      const typo = await owner("POST", "/api/v1/api-keys", { name: "x", scope: "read", scopes: "read" });
      expect(typo.body.error.details.field).toBe("scopes");
    });
  });

  describe("invites", () => {
    it("an invite shows its one-time link once; the accept page can read who invited whom", async () => {
      const email = uniqueEmail("invitee");
      const invited = await owner("POST", "/api/v1/users", { email: email.toUpperCase(), role: "staff" });
      expect(invited.status).toBe(201);
      expect(invited.body.invite).toMatchObject({ email, role: "staff", invited_by: alice.email });
      expect(invited.body.invite_url).toMatch(new RegExp(`^${server.url}/invite/lp_inv_`));
      const token = invited.body.invite_url.split("/invite/")[1];

      const pending = await owner("GET", "/api/v1/invites");
      expect(pending.body.invites.map((i: { id: string }) => i.id)).toContain(invited.body.invite.id);
      expect(JSON.stringify(pending.body)).not.toContain(token);

      const anon = client(server.url);
      const preview = await anon("GET", `/api/auth/invites/${token}`);
      expect(preview.status).toBe(200);
      expect(preview.body.invite).toMatchObject({
        email,
        role: "staff",
        reseller_name: alice.reseller.name,
        invited_by: alice.email,
      });

      const weak = await anon("POST", `/api/auth/invites/${token}/accept`, { password: "short" });
      expect(weak.status).toBe(400);
      expect(weak.body.error.details.field).toBe("password");

      const b = browser(server.url);
      const accepted = await b("POST", `/api/auth/invites/${token}/accept`, { password: PASSWORD, name: "Ines Invitee" });
      expect(accepted.status).toBe(200);
      expect(accepted.headers.get("set-cookie")).toMatch(/HttpOnly/i);
      expect(accepted.body.user).toMatchObject({
        email,
        name: "Ines Invitee",
        reseller_role: "staff",
        reseller_id: alice.reseller.id,
      });
      expect((await b("GET", "/api/v1/pools")).status).toBe(200);

      // The link works once; the invite leaves the pending list; the user is on the team.
      expect((await anon("POST", `/api/auth/invites/${token}/accept`, { password: PASSWORD })).status).toBe(404);
      expect((await anon("GET", `/api/auth/invites/${token}`)).status).toBe(404);
      expect((await owner("GET", "/api/v1/invites")).body.invites.map((i: { email: string }) => i.email)).not.toContain(email);
      const team = (await owner("GET", "/api/v1/users")).body.users;
      expect(team.find((u: { email: string }) => u.email === email)).toMatchObject({ role: "staff", name: "Ines Invitee" });
      expect((await browser(server.url).signIn(email, PASSWORD)).status).toBe(200);

      const log = await owner("GET", "/api/v1/activity?action=user.joined");
      expect(log.body.activity[0]).toMatchObject({ actor: `user ${email}` });
    });

    it("refuses a team member's email; re-inviting replaces the old link; withdrawn links die", async () => {
      const taken = await owner("POST", "/api/v1/users", { email: alice.email, role: "viewer" });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe("email_taken");

      // Another reseller's address is not revealed at invite time; only accepting it fails.
      const elsewhere = await owner("POST", "/api/v1/users", { email: bob.email, role: "viewer" });
      expect(elsewhere.status).toBe(201);
      const elsewhereToken = elsewhere.body.invite_url.split("/invite/")[1];
      const accept = await client(server.url)("POST", `/api/auth/invites/${elsewhereToken}/accept`, { password: PASSWORD });
      expect(accept.body.error?.code).toBe("email_taken");

      const email = uniqueEmail("twice");
      const first = await owner("POST", "/api/v1/users", { email, role: "viewer" });
      const second = await owner("POST", "/api/v1/users", { email, role: "staff" });
      const tokenOf = (r: typeof first) => r.body.invite_url.split("/invite/")[1];
      expect((await client(server.url)("GET", `/api/auth/invites/${tokenOf(first)}`)).status).toBe(404);
      expect((await client(server.url)("GET", `/api/auth/invites/${tokenOf(second)}`)).body.invite.role).toBe("staff");

      expect((await bobOwner("DELETE", `/api/v1/invites/${second.body.invite.id}`)).status).toBe(404);
      expect((await owner("DELETE", `/api/v1/invites/${second.body.invite.id}`)).status).toBe(200);
      expect((await client(server.url)("GET", `/api/auth/invites/${tokenOf(second)}`)).status).toBe(404);
    });

    it("an expired invite answers 410 invite_expired", async () => {
      const invited = await owner("POST", "/api/v1/users", { email: uniqueEmail("late"), role: "viewer" });
      await server.db
        .updateTable("invites")
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where("id", "=", invited.body.invite.id)
        .execute();
      const token = invited.body.invite_url.split("/invite/")[1];
      const r = await client(server.url)("POST", `/api/auth/invites/${token}/accept`, { password: PASSWORD });
      expect(r.status).toBe(410);
      expect(r.body.error.code).toBe("invite_expired");
    });

    it("unknown tokens are 404", async () => {
      const r = await client(server.url)("GET", "/api/auth/invites/lp_inv_nothing-here");
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    });
  });

  describe("users", () => {
    it("owners change roles; the last owner can be neither demoted nor removed", async () => {
      const me = (await owner("GET", "/api/auth/session")).body.user;
      const demote = await owner("PATCH", `/api/v1/users/${me.id}`, { role: "staff" });
      expect(demote.status).toBe(409);
      expect(demote.body.error.code).toBe("last_owner");
      const remove = await owner("DELETE", `/api/v1/users/${me.id}`);
      expect(remove.status).toBe(409);
      expect(remove.body.error.code).toBe("last_owner");

      const second = await join("owner");
      const secondUser = (await second("GET", "/api/auth/session")).body.user;
      expect(secondUser.reseller_role).toBe("owner");
      const demoted = await second("PATCH", `/api/v1/users/${me.id}`, { role: "staff" });
      expect(demoted.status).toBe(200);
      expect(demoted.body.user.role).toBe("staff");
      // The demotion applies to the owner's live session at once.
      expect((await owner("GET", "/api/v1/users")).status).toBe(403);
      expect((await second("PATCH", `/api/v1/users/${secondUser.id}`, { role: "viewer" })).body.error.code).toBe("last_owner");
      expect((await second("PATCH", `/api/v1/users/${me.id}`, { role: "owner" })).status).toBe(200);
      expect((await owner("GET", "/api/v1/users")).status).toBe(200);
      const log = await owner("GET", "/api/v1/activity?action=user.role_changed");
      expect(log.body.activity[0]).toMatchObject({ subject_id: me.id, after: { role: "owner" } });
    });

    it("removing a user ends their sessions at once", async () => {
      const temp = await join("staff");
      const tempUser = (await temp("GET", "/api/auth/session")).body.user;
      expect((await temp("GET", "/api/v1/pools")).status).toBe(200);
      expect((await staff("DELETE", `/api/v1/users/${tempUser.id}`)).status).toBe(403);
      const removed = await owner("DELETE", `/api/v1/users/${tempUser.id}`);
      expect(removed.status).toBe(200);
      expect(removed.body.user.email).toBe(tempUser.email);
      expect((await temp("GET", "/api/v1/pools")).status).toBe(401);
      expect((await owner("GET", "/api/v1/users")).body.users.map((u: { id: string }) => u.id)).not.toContain(tempUser.id);
    });

    it("another reseller's users, invites and keys are not found", async () => {
      const aliceUsers = (await owner("GET", "/api/v1/users")).body.users;
      const aliceKeys = (await owner("GET", "/api/v1/api-keys")).body.api_keys;
      const target = aliceUsers[aliceUsers.length - 1].id;
      expect((await bobOwner("PATCH", `/api/v1/users/${target}`, { role: "viewer" })).status).toBe(404);
      expect((await bobOwner("DELETE", `/api/v1/users/${target}`)).status).toBe(404);
      expect((await bobOwner("DELETE", `/api/v1/api-keys/${aliceKeys[0].id}`)).status).toBe(404);
      expect((await bobOwner("POST", `/api/v1/api-keys/${aliceKeys[0].id}/rotate`)).status).toBe(404);
      expect((await bobOwner("GET", "/api/v1/users")).body.users.map((u: { email: string }) => u.email)).toEqual([bob.email]);
    });

    it("validates roles", async () => {
      const r = await owner("POST", "/api/v1/users", { email: uniqueEmail("r"), role: "admin" });
      expect(r.status).toBe(400);
      expect(r.body.error.details.field).toBe("role");
    });
  });

  it("from the dashboard, POST /api-key/rotate rotates the account's primary key (its first read-write key)", async () => {
    const rotated = await owner("POST", "/api/v1/api-key/rotate");
    expect(rotated.status).toBe(200);
    expect(alice.api_key.startsWith(rotated.body.key.prefix)).toBe(false);
    expect(rotated.body.reseller.api_key_prefix).toBe(rotated.body.key.prefix);
    expect((await legacyKey("GET", "/api/v1/me")).status).toBe(401);
    const me = await client(server.url, rotated.body.api_key)("GET", "/api/v1/me");
    expect(me.body).toMatchObject({
      role: "staff",
      reseller: { id: alice.reseller.id, api_key_prefix: rotated.body.key.prefix },
    });
    expect((await owner("GET", "/api/v1/me")).body.reseller.api_key_prefix).toBe(rotated.body.key.prefix);
  });

  it("support users and tokens stay out of the reseller API, reseller credentials out of the support API", async () => {
    expect((await staff("GET", "/api/support/v1/resellers")).status).toBe(403);
    expect((await readWriteKey("GET", "/api/support/v1/resellers")).status).toBe(401);
  });
});
