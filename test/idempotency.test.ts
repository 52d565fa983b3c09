import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  markIdempotencyKeyCommitted,
  requestFingerprint,
} from "../src/core/idempotency.js";
import { purchasePlan } from "../src/core/purchase-plan.js";
import { runWithBeforeCommit } from "../src/db/transaction-hooks.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { makeReseller, startServer, type TestServer } from "./helpers/world.js";

interface Answer {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

/** A JSON client that can send an Idempotency-Key and keeps the raw answer text, to compare bodies byte for byte. */
function keyed(base: string, token: string) {
  return async (method: string, path: string, body?: unknown, key?: string): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(key !== undefined ? { "idempotency-key": key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
}
type Keyed = ReturnType<typeof keyed>;

const keyHash = (key: string) => createHash("sha256").update(key).digest("hex");
const PASSWORD = "correct horse battery";
let n = 0;
const newKey = (label: string) => `${label}-${++n}-${Math.random().toString(36).slice(2)}`;

describe.each(await dialectsUnderTest())("Idempotency-Key on the reseller API (%s)", (dialect) => {
  let server: TestServer;
  let alice: Keyed;
  let bob: Keyed;
  let aliceKey: string;
  let aliceId: string;
  /** Alice's purchase of a Premium 5 plan, as the idempotency layer sees it (for driving the core functions directly). */
  const purchaseRequest = (key: string, body: unknown = { plan_id: "plan_premium_5" }) => ({
    resellerId: aliceId,
    key,
    credential: aliceKey,
    method: "POST",
    route: "/api/v1/purchases",
    path: "/api/v1/purchases",
    params: {},
    query: {},
    body,
  });
  let aliceEmail: string;

  beforeAll(async () => {
    // A short wait for keys in flight, so the "still in flight" answer is quick to reach.
    server = await startServer(dialect, { idempotency: { waitMs: 2_500 } });
    const a = await makeReseller(server.db, { password: PASSWORD });
    aliceEmail = a.email;
    const b = await makeReseller(server.db);
    aliceKey = a.api_key;
    aliceId = a.reseller.id;
    alice = keyed(server.url, a.api_key);
    bob = keyed(server.url, b.api_key);
  }, 60_000);
  afterAll(() => server?.close());

  const count = async (table: "pools" | "clients" | "activity" | "purchases", resellerId = aliceId) =>
    Number(
      (
        await server.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .where("reseller_id", "=", resellerId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("same key and body: the stored status and body come back, and nothing is created twice", async () => {
    const pool = (await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const key = newKey("onboard");
    const body = { name: "Acme Bakery", site_url: "https://acme-bakery.example", pool_id: pool };
    const first = await alice("POST", "/api/v1/clients", body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const clients = await count("clients");
    const activity = await count("activity");

    // The same body with its keys in another order is the same request.
    const again = await alice("POST", "/api/v1/clients", { pool_id: pool, site_url: body.site_url, name: body.name }, key);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.site_key).toBe(first.body.site_key);
    expect(await count("clients")).toBe(clients);
    expect(await count("activity")).toBe(activity);
    expect((await alice("GET", `/api/v1/pools/${pool}`)).body.pool.used).toBe(1);

    // Without a key, the same request is a new one (here: refused, the site is taken).
    expect((await alice("POST", "/api/v1/clients", body)).body.error.code).toBe("site_already_registered");
  });

  it("the stored answer is sealed: the one-time site key is not in the database in clear", async () => {
    const key = newKey("sealed");
    const first = await alice("POST", "/api/v1/clients", { name: "Sealed", site_url: "https://sealed.example" }, key);
    expect(first.status).toBe(201);
    const rows = await server.db.selectFrom("idempotency_keys").selectAll().where("reseller_id", "=", aliceId).execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(first.body.site_key);
    expect(dump).not.toContain(key);
    expect(rows.find((r) => r.status === "done" && r.path === "/api/v1/clients")).toBeTruthy();
  });

  it("same key with another body, or on another endpoint: 422 idempotency_key_reused, nothing changed", async () => {
    const key = newKey("reuse");
    const first = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key);
    expect(first.status).toBe(201);
    const pools = await count("pools");

    const otherBody = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_25" }, key);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.error.code).toBe("idempotency_key_reused");
    const otherEndpoint = await alice("POST", "/api/v1/clients", { name: "Other", site_url: "https://other.example" }, key);
    expect(otherEndpoint.status).toBe(422);
    expect(otherEndpoint.body.error.code).toBe("idempotency_key_reused");
    expect(await count("pools")).toBe(pools);
    const stillSame = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key);
    expect(stillSame.text).toBe(first.text);
  });

  it("keys are per reseller: another reseller's identical key is independent", async () => {
    const key = newKey("shared");
    const a = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key);
    const bobId = (await bob("GET", "/api/v1/me")).body.reseller.id as string;
    const bobPools = await count("pools", bobId);
    const b = await bob("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(b.body.pool.id).not.toBe(a.body.pool.id);
    expect(await count("pools", bobId)).toBe(bobPools + 1);
    // And a different body from Bob under the same key string is Bob's own business: his own replay.
    const bAgain = await bob("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key);
    expect(bAgain.text).toBe(b.text);
  });

  it("a key answers only the credential that first used it; a dashboard session gets its own replays", async () => {
    const key = newKey("credential");
    const body = { plan_id: "plan_premium_5" };
    expect((await alice("POST", "/api/v1/purchases", body, key)).status).toBe(201);

    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: aliceEmail, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const { csrf_token } = (await login.json()) as { csrf_token: string };
    const viaSession = (k: string) =>
      fetch(`${server.url}/api/v1/purchases`, {
        method: "POST",
        headers: { cookie, "x-csrf-token": csrf_token, "content-type": "application/json", "idempotency-key": k },
        body: JSON.stringify(body),
      });
    const pools = await count("pools");
    const other = await viaSession(key);
    expect(other.status).toBe(422);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe("idempotency_key_reused");
    expect(await count("pools")).toBe(pools);

    const own = newKey("session");
    const first = await viaSession(own);
    const again = await viaSession(own);
    expect(first.status).toBe(201);
    expect(await again.text()).toBe(await first.text());
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await count("pools")).toBe(pools + 1);
  });

  it("20 parallel purchases with one key: one pool is created and all 20 get the same answer", async () => {
    const key = newKey("parallel");
    const pools = await count("pools");
    const purchases = await count("purchases");
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => alice("POST", "/api/v1/purchases", { plan_id: "plan_business_50" }, key)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(19);
    expect(await count("pools")).toBe(pools + 1);
    expect(await count("purchases")).toBe(purchases + 1);
  });

  it("a 4xx answer is replayed too, even after the cause went away (pool_full)", async () => {
    const pool = (await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const holders: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await alice("POST", "/api/v1/clients", {
        name: `Full ${i}`,
        site_url: `https://full${i}.example`,
        pool_id: pool,
      });
      holders.push(c.body.client.id);
    }
    const waiting = (await alice("POST", "/api/v1/clients", { name: "Waiting", site_url: "https://waiting.example" })).body.client
      .id;
    const key = newKey("full");
    const refused = await alice("POST", `/api/v1/pools/${pool}/allocations`, { client_id: waiting }, key);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("pool_full");

    expect((await alice("DELETE", `/api/v1/clients/${holders[0]}/license`)).status).toBe(200);
    const replayed = await alice("POST", `/api/v1/pools/${pool}/allocations`, { client_id: waiting }, key);
    expect(replayed.status).toBe(409);
    expect(replayed.text).toBe(refused.text);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect((await alice("GET", `/api/v1/pools/${pool}`)).body.pool).toMatchObject({ used: 4, unallocated: 1 });
    // A new key is a new request, and now there is room.
    expect((await alice("POST", `/api/v1/pools/${pool}/allocations`, { client_id: waiting }, newKey("room"))).status).toBe(201);
  });

  it("DELETE /clients/:id/license twice with one key: the same answer, the slot returned once", async () => {
    const pool = (await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    const a = (await alice("POST", "/api/v1/clients", { name: "Rev A", site_url: "https://rev-a.example", pool_id: pool })).body;
    await alice("POST", "/api/v1/clients", { name: "Rev B", site_url: "https://rev-b.example", pool_id: pool });
    const key = newKey("revoke");
    const first = await alice("DELETE", `/api/v1/clients/${a.client.id}/license`, undefined, key);
    expect(first.status).toBe(200);
    const activity = await count("activity");
    const second = await alice("DELETE", `/api/v1/clients/${a.client.id}/license`, undefined, key);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect((await alice("GET", `/api/v1/pools/${pool}`)).body.pool).toMatchObject({ used: 1, unallocated: 4 });
    expect(await count("activity")).toBe(activity);
    // The same key on another client's license is another request.
    const other = await alice("DELETE", `/api/v1/clients/${a.client.id}x/license`, undefined, key);
    expect(other.body.error.code).toBe("idempotency_key_reused");
  });

  it("a malformed Idempotency-Key is a validation_error naming the header", async () => {
    for (const bad of ["", "x".repeat(256), "tab\there"]) {
      const r = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, bad);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
      expect(r.body.error.details.field).toBe("Idempotency-Key");
    }
    expect((await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, "x".repeat(255))).status).toBe(201);
  });

  it("validation errors are answers too: replayed, and the key stays bound to that body", async () => {
    const key = newKey("invalid");
    const bad = await alice("POST", "/api/v1/purchases", { plan_id: "no_such_plan" }, key);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const again = await alice("POST", "/api/v1/purchases", { plan_id: "no_such_plan" }, key);
    expect(again.text).toBe(bad.text);
    expect(again.status).toBe(bad.status);
  });

  it("keys do not apply to reads, and a request without a key is never recorded", async () => {
    const before = await server.db.selectFrom("idempotency_keys").select("id").execute();
    expect((await alice("GET", "/api/v1/pools", undefined, newKey("read"))).status).toBe(200);
    expect((await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).status).toBe(201);
    expect(await server.db.selectFrom("idempotency_keys").select("id").execute()).toHaveLength(before.length);
  });

  // The crash window (core/idempotency.ts): a claim whose process died stays in flight until it counts as abandoned.
  async function plantClaim(key: string, ageMs: number, body: unknown) {
    const now = Date.now();
    await server.db
      .insertInto("idempotency_keys")
      .values({
        id: `idem_planted_${n++}`,
        reseller_id: aliceId,
        key_hash: keyHash(key),
        method: "POST",
        path: "/api/v1/purchases",
        request_hash: requestFingerprint(purchaseRequest(key, body)),
        status: "in_flight",
        response_status: null,
        response_body: null,
        created_at: new Date(now - ageMs).toISOString(),
        expires_at: new Date(now - ageMs + 24 * 3600_000).toISOString(),
      })
      .execute();
  }

  it("a key still in flight elsewhere: the retry waits, then gets 409 idempotency_key_in_flight with Retry-After", async () => {
    const key = newKey("stuck");
    const body = { plan_id: "plan_premium_5" };
    await plantClaim(key, 0, body);
    const pools = await count("pools");
    const r = await alice("POST", "/api/v1/purchases", body, key);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("idempotency_key_in_flight");
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await count("pools")).toBe(pools);
    // Another body under that key is refused at once, in flight or not.
    expect((await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_25" }, key)).status).toBe(422);
  });

  it("a claim abandoned by a crashed process (older than 2 minutes) is taken over by the retry, which runs", async () => {
    const key = newKey("abandoned");
    const body = { plan_id: "plan_premium_5" };
    await plantClaim(key, 10 * 60_000, body);
    const pools = await count("pools");
    const r = await alice("POST", "/api/v1/purchases", body, key);
    expect(r.status).toBe(201);
    expect(await count("pools")).toBe(pools + 1);
    const again = await alice("POST", "/api/v1/purchases", body, key);
    expect(again.text).toBe(r.text);
  });

  it("a 5xx answer is not kept: the claim is released so the retry runs", async () => {
    const request = purchaseRequest(newKey("server-error"));
    const first = await claimIdempotencyKey(server.db, request);
    if (first.outcome !== "run") throw new Error(`expected a claim, got ${first.outcome}`);
    await completeIdempotencyKey(server.db, first.claim, 503, '{"error":{"code":"database_busy"}}');
    const retry = await claimIdempotencyKey(server.db, request);
    expect(retry.outcome).toBe("run");
    if (retry.outcome === "run") await completeIdempotencyKey(server.db, retry.claim, 201, '{"ok":true}');
    expect(await claimIdempotencyKey(server.db, request)).toEqual({ outcome: "replay", status: 201, body: '{"ok":true}' });
  });

  it("an expired key (past 24 h) is a fresh key again", async () => {
    const key = newKey("expired");
    const first = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key);
    await server.db
      .updateTable("idempotency_keys")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("reseller_id", "=", aliceId)
      .where("key_hash", "=", keyHash(key))
      .execute();
    const second = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_25" }, key);
    expect(second.status).toBe(201);
    expect(second.body.pool.id).not.toBe(first.body.pool.id);
  });
  // The crash window between the operation's commit and the stored answer (core/idempotency.ts). The operation's own
  // transaction marks the claim `committed`; these tests watch that mark through test-only triggers, and put rows into
  // the states a crash leaves behind by editing them directly.

  const rowOf = (key: string) =>
    server.db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("reseller_id", "=", aliceId)
      .where("key_hash", "=", keyHash(key))
      .executeTakeFirst();

  /** Every status change of idempotency_keys rows, as committed: a trigger writes it in the changing transaction. */
  async function withTransitionLog<T>(fn: (transitions: (claimId: string) => Promise<string[]>) => Promise<T>): Promise<T> {
    await sql`create table idem_transitions (seq integer primary key, claim_id text not null, change text not null)`.execute(
      server.db,
    );
    if (dialect === "sqlite")
      await sql
        .raw(`create trigger idem_transition after update of status on idempotency_keys
          when old.status is not new.status
          begin
            insert into idem_transitions (seq, claim_id, change)
              values ((select coalesce(max(seq), 0) + 1 from idem_transitions), new.id, old.status || '>' || new.status);
          end`)
        .execute(server.db);
    else {
      await sql
        .raw(`create function idem_transition() returns trigger language plpgsql as $$ begin
            insert into idem_transitions (seq, claim_id, change)
              values ((select coalesce(max(seq), 0) + 1 from idem_transitions), new.id, old.status || '>' || new.status);
            return new;
          end $$`)
        .execute(server.db);
      await sql
        .raw(`create trigger idem_transition after update of status on idempotency_keys for each row
          when (old.status is distinct from new.status) execute function idem_transition()`)
        .execute(server.db);
    }
    const transitions = async (claimId: string) =>
      (
        await sql<{ change: string }>`select change from idem_transitions where claim_id = ${claimId} order by seq`.execute(
          server.db,
        )
      ).rows.map((r) => r.change);
    try {
      return await fn(transitions);
    } finally {
      await sql.raw(`drop trigger idem_transition${dialect === "postgres" ? " on idempotency_keys" : ""}`).execute(server.db);
      if (dialect === "postgres") await sql`drop function idem_transition()`.execute(server.db);
      await sql`drop table idem_transitions`.execute(server.db);
    }
  }

  it("a write marks its claim committed inside its own transaction; refusals and validation errors never do", async () => {
    await withTransitionLog(async (transitions) => {
      const key = newKey("marked");
      expect((await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key)).status).toBe(201);
      const row = await rowOf(key);
      expect(row?.status).toBe("done");
      expect(await transitions(row?.id ?? "")).toEqual(["in_flight>committed", "committed>done"]);

      // pool_full is refused inside the operation's transaction, after the claim: the transaction rolls back and the
      // claim goes straight to its stored 4xx answer, never committed.
      const pool = (await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
      for (let i = 0; i < 5; i++)
        await alice("POST", "/api/v1/clients", { name: `Mark ${i}`, site_url: `https://mark${i}.example`, pool_id: pool });
      const waiting = (await alice("POST", "/api/v1/clients", { name: "Mark W", site_url: "https://mark-w.example" })).body.client
        .id;
      const fullKey = newKey("marked-full");
      const refused = await alice("POST", `/api/v1/pools/${pool}/allocations`, { client_id: waiting }, fullKey);
      expect(refused.body.error.code).toBe("pool_full");
      const fullRow = await rowOf(fullKey);
      expect(fullRow).toMatchObject({ status: "done", response_status: 409 });
      expect(await transitions(fullRow?.id ?? "")).toEqual(["in_flight>done"]);
      expect((await alice("POST", `/api/v1/pools/${pool}/allocations`, { client_id: waiting }, fullKey)).text).toBe(refused.text);

      const invalidKey = newKey("marked-invalid");
      expect((await alice("POST", "/api/v1/purchases", { plan_id: "no_such_plan" }, invalidKey)).status).toBeLessThan(500);
      const invalidRow = await rowOf(invalidKey);
      expect(await transitions(invalidRow?.id ?? "")).toEqual(["in_flight>done"]);
    });
  });

  it("the mark and the operation commit together: when the mark fails, the operation is rolled back and may run again", async () => {
    const key = newKey("mark-refused");
    const hash = keyHash(key);
    // A trigger that refuses this one key's mark, standing in for anything that fails the transaction at its end.
    if (dialect === "sqlite")
      await sql
        .raw(`create trigger refuse_mark before update of status on idempotency_keys
          when new.status = 'committed' and new.key_hash = '${hash}'
          begin select raise(abort, 'mark refused'); end`)
        .execute(server.db);
    else {
      await sql
        .raw(`create function refuse_mark() returns trigger language plpgsql as $$ begin
            raise exception 'mark refused';
          end $$`)
        .execute(server.db);
      await sql
        .raw(`create trigger refuse_mark before update of status on idempotency_keys for each row
          when (new.status = 'committed' and new.key_hash = '${hash}') execute function refuse_mark()`)
        .execute(server.db);
    }
    const pools = await count("pools");
    const purchases = await count("purchases");
    const activity = await count("activity");
    try {
      const failed = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key);
      expect(failed.status).toBe(500);
      expect(await count("pools")).toBe(pools);
      expect(await count("purchases")).toBe(purchases);
      expect(await count("activity")).toBe(activity);
      // Nothing committed, so the 5xx released the claim.
      expect(await rowOf(key)).toBeUndefined();
    } finally {
      await sql.raw(`drop trigger refuse_mark${dialect === "postgres" ? " on idempotency_keys" : ""}`).execute(server.db);
      if (dialect === "postgres") await sql`drop function refuse_mark()`.execute(server.db);
    }
    const retry = await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(await count("pools")).toBe(pools + 1);
  });

  /** Makes a finished key look like a crash hit it: the given status, no stored answer, claimed `ageMs` ago. */
  async function crashed(key: string, status: "in_flight" | "committed", ageMs: number) {
    const now = Date.now();
    await server.db
      .updateTable("idempotency_keys")
      .set({
        status,
        response_status: null,
        response_body: null,
        created_at: new Date(now - ageMs).toISOString(),
        expires_at: new Date(now - ageMs + 24 * 3600_000).toISOString(),
      })
      .where("reseller_id", "=", aliceId)
      .where("key_hash", "=", keyHash(key))
      .execute();
  }

  it("committed but its answer never stored (the process died): a retry never runs it again, 409 idempotency_key_answer_lost", async () => {
    const key = newKey("answer-lost");
    const body = { plan_id: "plan_premium_5" };
    expect((await alice("POST", "/api/v1/purchases", body, key)).status).toBe(201);
    await crashed(key, "committed", 10 * 60_000);
    const pools = await count("pools");
    const purchases = await count("purchases");
    const activity = await count("activity");

    for (let i = 0; i < 2; i++) {
      const r = await alice("POST", "/api/v1/purchases", body, key);
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe("idempotency_key_answer_lost");
      expect(r.body.error.message).toContain("POST /api/v1/purchases");
      expect(r.body.error.details).toMatchObject({
        committed: true,
        method: "POST",
        path: "/api/v1/purchases",
        activity: "/api/v1/activity",
      });
      expect(Date.parse(r.body.error.details.received_at)).toBeLessThan(Date.now() - 9 * 60_000);
      expect(r.headers.get("idempotent-replayed")).toBeNull();
    }
    expect(await count("pools")).toBe(pools);
    expect(await count("purchases")).toBe(purchases);
    expect(await count("activity")).toBe(activity);
    expect((await rowOf(key))?.status).toBe("committed");
    // The key stays bound to its request.
    expect((await alice("POST", "/api/v1/purchases", { plan_id: "plan_premium_25" }, key)).body.error.code).toBe(
      "idempotency_key_reused",
    );

    // An onboarding too: the client exists once, and the retry says so instead of answering site_already_registered.
    const onboardKey = newKey("answer-lost-onboard");
    const onboard = { name: "Lost Answer", site_url: "https://lost-answer.example" };
    expect((await alice("POST", "/api/v1/clients", onboard, onboardKey)).status).toBe(201);
    await crashed(onboardKey, "committed", 10 * 60_000);
    const clients = await count("clients");
    const retries = await Promise.all(Array.from({ length: 5 }, () => alice("POST", "/api/v1/clients", onboard, onboardKey)));
    expect(retries.map((r) => r.body.error.code)).toEqual(Array(5).fill("idempotency_key_answer_lost"));
    expect(retries[0]?.body.error.details.path).toBe("/api/v1/clients");
    expect(await count("clients")).toBe(clients);
  });

  it("committed and the first request still finishing: a retry waits for the answer and replays it", async () => {
    const key = newKey("committed-wait");
    const body = { plan_id: "plan_premium_5" };
    const first = await alice("POST", "/api/v1/purchases", body, key);
    const stored = await rowOf(key);
    await crashed(key, "committed", 0);
    const pools = await count("pools");
    const retry = alice("POST", "/api/v1/purchases", body, key);
    await new Promise((r) => setTimeout(r, 400));
    // The first request's answer lands now, as its onSend would store it.
    await server.db
      .updateTable("idempotency_keys")
      .set({ status: "done", response_status: stored?.response_status ?? 0, response_body: stored?.response_body ?? "" })
      .where("id", "=", stored?.id ?? "")
      .execute();
    const r = await retry;
    expect(r.status).toBe(201);
    expect(r.text).toBe(first.text);
    expect(r.headers.get("idempotent-replayed")).toBe("true");
    expect(await count("pools")).toBe(pools);
  });

  it("in flight, claimed long ago, nothing committed (the process died first): parallel retries run it exactly once", async () => {
    // A request whose process died before its operation committed leaves just the claim.
    const key = newKey("never-committed");
    const body = { plan_id: "plan_premium_5" };
    await plantClaim(key, 10 * 60_000, body);
    const pools = await count("pools");
    const purchases = await count("purchases");
    const answers = await Promise.all(Array.from({ length: 6 }, () => alice("POST", "/api/v1/purchases", body, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    expect(await count("pools")).toBe(pools + 1);
    expect(await count("purchases")).toBe(purchases + 1);

    // The same after a real request: its row edited back to "claimed long ago, answer not stored, not committed".
    // (Here the purchase did commit; the row says it did not, so the retry runs again: the state decides.)
    await crashed(key, "in_flight", 10 * 60_000);
    const again = await alice("POST", "/api/v1/purchases", body, key);
    expect(again.status).toBe(201);
    expect(again.body.pool.id).not.toBe(answers[0]?.body.pool.id);
    expect(await count("pools")).toBe(pools + 2);
    expect((await rowOf(key))?.status).toBe("done");
  });

  it("the mark is a fence: a request whose claim a retry took over (it ran past 2 minutes) rolls back instead of committing", async () => {
    const request = purchaseRequest(newKey("fenced"));
    const ctx = { resellerId: aliceId, actor: "test" };
    const slow = await claimIdempotencyKey(server.db, request);
    if (slow.outcome !== "run") throw new Error(`expected a claim, got ${slow.outcome}`);
    // The slow request's claim grows old; a retry takes it over.
    await server.db
      .updateTable("idempotency_keys")
      .set({ created_at: new Date(Date.now() - 10 * 60_000).toISOString() })
      .where("id", "=", slow.claim.id)
      .execute();
    const retry = await claimIdempotencyKey(server.db, request);
    if (retry.outcome !== "run") throw new Error(`expected a takeover, got ${retry.outcome}`);
    const pools = await count("pools");

    // The slow request's operation finally reaches its commit: its mark finds the row no longer its claim.
    await expect(
      runWithBeforeCommit(
        (trx) => markIdempotencyKeyCommitted(trx, slow.claim),
        () => purchasePlan(server.db, ctx, "plan_premium_5"),
      ),
    ).rejects.toMatchObject({ code: "idempotency_key_in_flight" });
    expect(await count("pools")).toBe(pools);
    expect(await completeIdempotencyKey(server.db, slow.claim, 409, "{}")).toBe(false);

    // The retry's own run commits, once.
    await runWithBeforeCommit(
      (trx) => markIdempotencyKeyCommitted(trx, retry.claim),
      () => purchasePlan(server.db, ctx, "plan_premium_5"),
    );
    expect(await count("pools")).toBe(pools + 1);
    expect((await rowOf(request.key))?.status).toBe("committed");
    // A stale takeover attempt cannot take a committed claim, however old.
    await server.db
      .updateTable("idempotency_keys")
      .set({ created_at: new Date(Date.now() - 10 * 60_000).toISOString() })
      .where("id", "=", retry.claim.id)
      .execute();
    expect((await claimIdempotencyKey(server.db, request)).outcome).toBe("answer_lost");
  });

  it("a 5xx after the change committed keeps the claim: retries are told the change was made, never run it again", async () => {
    const request = purchaseRequest(newKey("late-5xx"));
    const first = await claimIdempotencyKey(server.db, request);
    if (first.outcome !== "run") throw new Error(`expected a claim, got ${first.outcome}`);
    await runWithBeforeCommit(
      (trx) => markIdempotencyKeyCommitted(trx, first.claim),
      () => purchasePlan(server.db, { resellerId: aliceId, actor: "test" }, "plan_premium_5"),
    );
    expect(await completeIdempotencyKey(server.db, first.claim, 500, '{"error":{"code":"internal_error"}}')).toBe(false);
    expect((await rowOf(request.key))?.status).toBe("committed");
    expect((await claimIdempotencyKey(server.db, request, { ttlMs: 3600_000, waitMs: 0, abandonAfterMs: 0 })).outcome).toBe(
      "answer_lost",
    );
  });
});
