import { createHash, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { grantPool } from "../src/core/grant-pool.js";
import { connect } from "../src/db/connect.js";
import { openDatabase } from "../src/db/open.js";
import { type Outcome, type ServerProcess, spawnServer, tempSqliteFile, tryRequest } from "./helpers/processes.js";
import { makeReseller } from "./helpers/world.js";

/**
 * Crash safety: the server process on an SQLite file is SIGKILLed at a random moment under mixed load, restarted on
 * the same file, and the database must hold exactly what the clients were told. Every 2xx answer is committed with
 * its audit row; no refusal left a trace; a request that got no answer (killed mid-flight) either committed whole or
 * not at all; every pool's `used` is the number of licenses it holds. Several kill/restart rounds, one file: each
 * round checks everything every earlier round confirmed too.
 *
 * The checks are exact because each client's operations form one sequential chain (the next request is sent only
 * after the previous answer), so its confirmed state and audit trail are known; a chain stops at its first
 * unanswered request.
 *
 * Every request carries an Idempotency-Key, and after each restart every unanswered request is retried with its key,
 * as a client would: a request whose change committed before the kill is never carried out again (its retry replays
 * the stored answer, or, if the process died between the commit and storing the answer, says the change was made:
 * 409 idempotency_key_answer_lost), and one that did not commit runs once. The checks then expect the exact state.
 */

type Op =
  | { kind: "onboard"; pool: string | null }
  | { kind: "allocate"; pool: string }
  | { kind: "revoke" }
  | { kind: "reissue"; pool: string }
  | { kind: "suspend" }
  | { kind: "resume" }
  | { kind: "offboard" };

/** A client as the database should show it: whether it exists, the pool its license is from, its status, its audit trail. */
interface State {
  exists: boolean;
  pool: string | null;
  status: "active" | "suspended";
  actions: string[];
}

interface Tracked {
  name: string;
  id: string | null;
  state: State;
  /** The request that got no answer, if any, and its Idempotency-Key: its chain stopped there, the restart retries it. */
  unanswered: Op | null;
  unansweredKey: string | null;
  busy: boolean;
}

/** The state after `op` succeeded: what a 2xx answer means for the database. */
function applied(s: State, op: Op): State {
  switch (op.kind) {
    case "onboard":
      return {
        exists: true,
        pool: op.pool,
        status: "active",
        actions: ["client.created", ...(op.pool ? ["license.allocated"] : [])],
      };
    case "allocate":
      return { ...s, pool: op.pool, actions: [...s.actions, "license.allocated"] };
    case "revoke":
      return { ...s, pool: null, actions: [...s.actions, "license.revoked"] };
    case "reissue":
      return { ...s, pool: op.pool, actions: [...s.actions, "license.reissued"] };
    case "suspend":
    case "resume": {
      const status = op.kind === "suspend" ? "suspended" : "active";
      // Idempotent: asking for the status a client already has changes nothing and logs nothing.
      return s.status === status
        ? s
        : { ...s, status, actions: [...s.actions, op.kind === "suspend" ? "client.suspended" : "client.resumed"] };
    }
    case "offboard":
      return { exists: false, pool: null, status: s.status, actions: [...s.actions, "client.deleted"] };
  }
}

/** Refusals the load can provoke on purpose or by racing for slots; anything else is a failure of the test. */
const EXPECTED_REFUSALS = new Set([
  "pool_full",
  "client_already_licensed",
  "client_not_licensed",
  "same_pool",
  "client_suspended",
  "client_not_suspended",
]);

/** The method, path and body of an operation of client `t`. */
function requestOf(t: Tracked, op: Op): { method: string; path: string; body?: unknown } {
  switch (op.kind) {
    case "onboard":
      return {
        method: "POST",
        path: "/clients",
        body: { name: t.name, site_url: `https://${t.name.toLowerCase()}.example`, ...(op.pool ? { pool_id: op.pool } : {}) },
      };
    case "allocate":
      return { method: "POST", path: `/pools/${op.pool}/allocations`, body: { client_id: t.id } };
    case "revoke":
      return { method: "DELETE", path: `/clients/${t.id}/license` };
    case "reissue":
      return { method: "POST", path: `/clients/${t.id}/license/reissue`, body: { pool_id: op.pool } };
    case "offboard":
      return { method: "DELETE", path: `/clients/${t.id}` };
    case "suspend":
    case "resume":
      return { method: "POST", path: `/clients/${t.id}/${op.kind}` };
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const ROUNDS = 4;
const WORKERS = 12;
/** Confirmed operations each round must reach before the kill, so no round can pass on an idle server. */
const MIN_CONFIRMED_PER_ROUND = 30;

describe("crash safety: SIGKILL under load, restart on the same SQLite file", () => {
  const file = tempSqliteFile();
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    file.remove();
  });

  it(`${ROUNDS} kill/restart rounds: confirmed = committed with its audit row, refused = no trace, pools exact`, async () => {
    const seed = await openDatabase(file.url);
    const reseller = await makeReseller(seed);
    const resellerId = reseller.reseller.id;
    // Small pools, so allocations race for the last slots and pool_full refusals happen too.
    const pools = [
      await grantPool(seed, { actor: "test" }, resellerId, "premium", 6, "crash test"),
      await grantPool(seed, { actor: "test" }, resellerId, "business", 10, "crash test"),
      await grantPool(seed, { actor: "test" }, resellerId, "premium", 16, "crash test"),
      await grantPool(seed, { actor: "test" }, resellerId, "business", 24, "crash test"),
    ].map((p) => p.id);
    await seed.destroy();

    const tracked: Tracked[] = [];
    const notCreatedNames: string[] = [];
    const unexpected: string[] = [];
    const confirmedByKind: Record<string, number> = {};
    const refusals: Record<string, number> = {};
    /** How many unanswered requests were retried, by what their idempotency record said. */
    const retriedByRecord: Record<string, number> = {};
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

    server = await spawnServer(file.url);
    for (let round = 1; round <= ROUNDS; round++) {
      const live: ServerProcess = server;
      const api = `${live.url}/api/v1`;
      let confirmed = 0;
      let killSent = false;

      /** Sends one operation of a client's chain; false when it got no answer (the chain, and the worker, stop). */
      async function perform(t: Tracked, op: Op): Promise<boolean> {
        const { method, path, body } = requestOf(t, op);
        const key = randomUUID();
        const outcome = await tryRequest(method, `${api}${path}`, reseller.api_key, body, { "idempotency-key": key });
        if ("error" in outcome) {
          if (!killSent) unexpected.push(`${op.kind} got no answer before the kill: ${outcome.error}`);
          t.unanswered = op;
          t.unansweredKey = key;
          return false;
        }
        if (outcome.status < 300) {
          if (op.kind === "onboard") t.id = outcome.body.client.id;
          t.state = applied(t.state, op);
          confirmed += 1;
          confirmedByKind[op.kind] = (confirmedByKind[op.kind] ?? 0) + 1;
        } else {
          // A refusal changes nothing (503 database_busy included): the chain's state stays as it was.
          const code = outcome.body?.error?.code;
          if (!EXPECTED_REFUSALS.has(code) && code !== "database_busy")
            unexpected.push(`${op.kind} ${outcome.status} ${JSON.stringify(outcome.body)}`);
          if (op.kind === "onboard") notCreatedNames.push(t.name);
          refusals[code] = (refusals[code] ?? 0) + 1;
        }
        return true;
      }

      function nextOp(t: Tracked): Op {
        if (!t.id) return { kind: "onboard", pool: Math.random() < 0.7 ? pick(pools) : null };
        const r = Math.random() * 10;
        if (r < 3) return { kind: "allocate", pool: pick(pools) };
        if (r < 5) return { kind: "revoke" };
        if (r < 7.5) return { kind: "reissue", pool: pick(pools) };
        if (r < 8.5) return { kind: "suspend" };
        if (r < 9.5) return { kind: "resume" };
        return { kind: "offboard" };
      }

      let made = 0;
      async function worker(w: number): Promise<void> {
        for (;;) {
          // Carry on with an earlier client (from this round or one before the last crash) or onboard a new one.
          const idle = tracked.filter((t) => !t.busy && t.id && t.state.exists && !t.unanswered);
          let t: Tracked;
          if (idle.length > 0 && Math.random() < 0.4) t = pick(idle);
          else {
            made += 1;
            t = {
              name: `R${round}W${w}N${made}`,
              id: null,
              state: { exists: false, pool: null, status: "active", actions: [] },
              unanswered: null,
              unansweredKey: null,
              busy: false,
            };
            tracked.push(t);
          }
          t.busy = true;
          const steps = 1 + Math.floor(Math.random() * 6);
          for (let s = 0; s < steps; s++) {
            if (!(await perform(t, nextOp(t)))) return;
            if (!t.state.exists) break; // refused onboarding or offboarded: this chain is over
          }
          t.busy = false;
        }
      }

      const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      // A random moment, but never before the round has something to lose (no timing assertion: on a slow machine
      // the round just runs longer).
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 1000));
      const patience = Date.now() + 60_000;
      while (confirmed < MIN_CONFIRMED_PER_ROUND && Date.now() < patience) await new Promise((r) => setTimeout(r, 10));
      killSent = true;
      live.child.kill("SIGKILL");
      await load;
      for (const t of tracked) t.busy = false;
      expect(await live.exited).toEqual({ code: null, signal: "SIGKILL" });
      expect(unexpected).toEqual([]);
      expect(confirmed).toBeGreaterThanOrEqual(MIN_CONFIRMED_PER_ROUND);

      // The server comes back on the file the crash left behind (with its write-ahead log)...
      server = await spawnServer(file.url);
      // ...and the database holds exactly what was confirmed.
      const db = connect(file.url);
      try {
        expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows).toEqual([
          { integrity_check: "ok" },
        ]);

        // Every unanswered request is retried with its Idempotency-Key. A claim the dead process left behind counts as
        // abandoned once it is 2 minutes old; rather than wait, the test ages them (no other process holds a claim now).
        await db
          .updateTable("idempotency_keys")
          .set({ created_at: new Date(Date.now() - 10 * 60_000).toISOString() })
          .where("reseller_id", "=", resellerId)
          .where("status", "!=", "done")
          .execute();
        for (const t of tracked) {
          const op = t.unanswered;
          const key = t.unansweredKey;
          if (!op || !key) continue;
          const where = `${op.kind} of ${t.name}`;
          // What the record says the first attempt came to: nothing / claimed only / committed without answer / answered.
          const record = await db
            .selectFrom("idempotency_keys")
            .select(["status", "response_status"])
            .where("reseller_id", "=", resellerId)
            .where("key_hash", "=", sha256(key))
            .executeTakeFirst();
          const { method, path, body } = requestOf(t, op);
          let retry: Outcome;
          for (let attempt = 0; ; attempt++) {
            retry = await tryRequest(method, `${server.url}/api/v1${path}`, reseller.api_key, body, {
              "idempotency-key": key,
            });
            // database_busy changed nothing and released the claim: retry again, as a client would.
            if (attempt >= 5 || !("status" in retry) || retry.body?.error?.code !== "database_busy") break;
            await new Promise((r) => setTimeout(r, 200));
          }
          if (!("status" in retry)) throw new Error(`${where}: the retry got no answer: ${retry.error}`);
          const replayed = retry.headers.get("idempotent-replayed") === "true";
          const code: string | undefined = retry.body?.error?.code;
          retriedByRecord[record?.status ?? "none"] = (retriedByRecord[record?.status ?? "none"] ?? 0) + 1;
          if (record?.status === "committed") {
            // The change was made and its answer lost: never carried out again.
            expect({ where, status: retry.status, code }).toEqual({ where, status: 409, code: "idempotency_key_answer_lost" });
          } else if (record?.status === "done") {
            expect({ where, replayed, status: retry.status }).toEqual({ where, replayed: true, status: record.response_status });
          } else {
            // Nothing committed (no claim, or a claim only): the retry runs it, once.
            expect({ where, replayed }).toEqual({ where, replayed: false });
            expect(code, where).not.toBe("idempotency_key_answer_lost");
          }
          const took = retry.status < 300 || code === "idempotency_key_answer_lost";
          if (!took) {
            const known = EXPECTED_REFUSALS.has(code ?? "") || code === "database_busy";
            if (!known) unexpected.push(`retried ${where}: ${retry.status} ${JSON.stringify(retry.body)}`);
            if (op.kind === "onboard") notCreatedNames.push(t.name);
          } else {
            if (op.kind === "onboard") {
              if (retry.status < 300) t.id = retry.body.client.id;
              else {
                const found = await db
                  .selectFrom("clients")
                  .select("id")
                  .where("reseller_id", "=", resellerId)
                  .where("name", "=", t.name)
                  .execute();
                expect(found, where).toHaveLength(1);
                t.id = found[0]?.id ?? null;
              }
            }
            t.state = applied(t.state, op);
          }
          t.unanswered = null;
          t.unansweredKey = null;
        }
        expect(unexpected).toEqual([]);
        const clients = await db
          .selectFrom("clients")
          .select(["id", "name", "status"])
          .where("reseller_id", "=", resellerId)
          .execute();
        const licenses = await db
          .selectFrom("licenses")
          .select(["client_id", "pool_id"])
          .where("reseller_id", "=", resellerId)
          .execute();
        const activity = await db
          .selectFrom("activity")
          .select(["client_id", "client_name", "action"])
          .where("reseller_id", "=", resellerId)
          .where("client_id", "is not", null)
          .orderBy("id")
          .execute();
        const clientById = new Map(clients.map((c) => [c.id, c]));
        const poolOf = new Map(licenses.map((l) => [l.client_id, l.pool_id]));
        const actionsOf = new Map<string, string[]>();
        for (const a of activity)
          actionsOf.set(a.client_id as string, [...(actionsOf.get(a.client_id as string) ?? []), a.action]);
        const observed = (id: string): State => {
          const row = clientById.get(id);
          return {
            exists: row !== undefined,
            pool: poolOf.get(id) ?? null,
            status: (row?.status ?? "active") as State["status"],
            actions: actionsOf.get(id) ?? [],
          };
        };
        const comparable = (s: State) => ({ ...s, status: s.exists ? s.status : "gone" });

        // Each client holds exactly what its chain was told, the retried request counted once: an operation carried
        // out twice would show in its audit trail, its license or a second client of its name.
        for (const t of tracked) {
          expect(clients.filter((c) => c.name === t.name).length, t.name).toBeLessThanOrEqual(1);
          if (!t.id) continue; // never created: a refused onboarding (checked below)
          expect(comparable(observed(t.id)), `client ${t.name} (${t.id})`).toEqual(comparable(t.state));
        }
        // Refused onboardings (and unanswered ones that did not commit) left nothing behind: no client of that
        // name, no audit row naming it.
        const names = new Set(notCreatedNames);
        expect(clients.filter((c) => names.has(c.name))).toEqual([]);
        expect(activity.filter((a) => names.has(a.client_name ?? ""))).toEqual([]);
        // Nothing exists that no request of this test made.
        const known = new Set(tracked.flatMap((t) => (t.id ? [t.id] : [])));
        expect(clients.filter((c) => !known.has(c.id))).toEqual([]);
        expect(activity.filter((a) => !known.has(a.client_id as string))).toEqual([]);

        // Every pool's count is exactly the licenses it holds, within its size, and what the confirmed history says.
        const poolRows = await db
          .selectFrom("pools")
          .select(["id", "used", "total"])
          .where("reseller_id", "=", resellerId)
          .execute();
        for (const p of poolRows) {
          const held = licenses.filter((l) => l.pool_id === p.id).length;
          const modelled = tracked.filter((t) => t.state.exists && t.state.pool === p.id).length;
          expect({ pool: p.id, used: p.used, inRange: p.used >= 0 && p.used <= p.total }).toEqual({
            pool: p.id,
            used: held,
            inRange: true,
          });
          expect(modelled).toBe(held);
        }
        // And the restarted server serves the same counts.
        const served = await tryRequest("GET", `${server.url}/api/v1/pools`, reseller.api_key);
        expect("status" in served && served.status).toBe(200);
        const servedUsed = Object.fromEntries(
          ("status" in served ? served.body.pools : []).map((p: { id: string; used: number }) => [p.id, p.used]),
        );
        expect(servedUsed).toEqual(Object.fromEntries(poolRows.map((p) => [p.id, p.used])));
      } finally {
        await db.destroy();
      }
    }

    // Over the whole run every kind of change was confirmed at least once (and so checked after a crash).
    for (const kind of ["onboard", "allocate", "revoke", "reissue", "suspend", "resume", "offboard"])
      expect(confirmedByKind[kind] ?? 0, kind).toBeGreaterThan(0);
    // And refusals happened too (each checked to have left no trace).
    expect(Object.values(refusals).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // Some requests were cut off by the kills and retried (how far each had got is down to timing).
    expect(Object.values(retriedByRecord).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    console.log("crash-safety: unanswered requests retried, by idempotency record:", retriedByRecord);
    // The last restart stops gracefully.
    await server.stop();
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 300_000);
});
