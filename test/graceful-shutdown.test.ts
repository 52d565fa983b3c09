import { existsSync, statSync } from "node:fs";
import http from "node:http";
import { connect as tcpConnect } from "node:net";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { grantPool } from "../src/core/grant-pool.js";
import { connect } from "../src/db/connect.js";
import { openDatabase } from "../src/db/open.js";
import type { Db } from "../src/db/schema.js";
import { spawnServer, tempSqliteFile, tryRequest } from "./helpers/processes.js";
import { makeReseller } from "./helpers/world.js";

/**
 * `licensepool serve` stopping on SIGTERM, as an orchestrator stops it: no new connections, requests already in
 * flight finish and get their answers, the last batch of check-ins is written, the database is closed, exit 0.
 */
describe("graceful shutdown on SIGTERM", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A migrated SQLite file with a reseller and a roomy pool, then the server process on it. */
  async function world(env: Record<string, string> = {}) {
    const file = tempSqliteFile();
    cleanups.push(() => file.remove());
    const seed = await openDatabase(file.url);
    const reseller = await makeReseller(seed);
    const pool = await grantPool(seed, { actor: "test" }, reseller.reseller.id, "premium", 500, "shutdown test");
    await seed.destroy();
    // A bound nothing here comes near on any machine (a server that overran it would exit 1, failing the test), and
    // a flush timer that never fires on its own during a test.
    const server = await spawnServer(file.url, { SHUTDOWN_TIMEOUT_MS: "20000", CHECK_IN_FLUSH_MS: "600000", ...env });
    cleanups.push(() => server.stop());
    return { file, server, apiKey: reseller.api_key, resellerId: reseller.reseller.id, poolId: pool.id };
  }

  async function withDb<T>(url: string, read: (db: Db) => Promise<T>): Promise<T> {
    const db = connect(url);
    try {
      return await read(db);
    } finally {
      await db.destroy();
    }
  }

  it("finishes the requests in flight, refuses new connections, commits exactly what it answered, exits 0", async () => {
    const { file, server, apiKey, resellerId, poolId } = await world();
    const agent = new http.Agent({ keepAlive: true }); // the clients ask to keep their connections: the server must still let go
    cleanups.push(() => agent.destroy());

    // Eight requests the server has provably started: it answered `100 Continue` to their headers, so its request
    // handler is running and waiting for the body, which the test holds back until the server has begun stopping.
    const held = Array.from({ length: 8 }, (_, i) =>
      heldRequest(server.port, apiKey, agent, { name: `Held ${i}`, site_url: `https://held${i}.example`, pool_id: poolId }),
    );
    await Promise.all(held.map((h) => h.started));
    // And a burst of 50 writes racing the signal, sent as soon as the first of them is answered: each may be
    // answered or refused, but never half-done.
    const burst = Array.from({ length: 50 }, (_, i) =>
      tryRequest("POST", `${server.url}/api/v1/clients`, apiKey, {
        name: `Burst ${i}`,
        site_url: `https://burst${i}.example`,
        pool_id: poolId,
      }),
    );
    await Promise.race(burst);
    server.child.kill("SIGTERM");
    // And 20 more right after the signal: mostly too late (refused, or closed unread), possibly not all.
    const late = Array.from({ length: 20 }, (_, i) =>
      tryRequest("POST", `${server.url}/api/v1/clients`, apiKey, {
        name: `Late ${i}`,
        site_url: `https://late${i}.example`,
        pool_id: poolId,
      }),
    );

    // The listening socket closes while the held requests are still unanswered, and the process waits for them.
    await until(async () => !(await accepts(server.port)), "the server to stop accepting connections");
    expect(server.child.exitCode).toBeNull();
    for (const h of held) h.sendBody();

    const heldAnswers = await Promise.all(held.map((h) => h.answer));
    for (const a of heldAnswers) {
      expect(a.status).toBe(201);
      expect(a.connection).toBe("close"); // so a keep-alive client does not hold the shutdown open
      expect(a.body.client.id).toMatch(/^cli_/);
      expect(a.body.license.pool_id).toBe(poolId);
    }
    const burstOutcomes = await Promise.all([...burst, ...late]);
    // A request either got a complete 201 (also one that reached a kept-alive connection while the server was
    // stopping: it is served, not refused) or its connection was refused or closed before the server read it.
    // Never a cut-off answer, never an error.
    for (const o of burstOutcomes) {
      if ("status" in o) expect(o.status).toBe(201);
      else expect(o.error).toMatch(/^(ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/);
    }

    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/licensepool stopped on SIGTERM in \d+ ms: in-flight requests finished, database closed/);
    expect(await accepts(server.port)).toBe(false);

    // The database was closed cleanly: its write-ahead log checkpointed away, the file whole.
    const wal = `${file.file}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    await withDb(file.url, async (db) => {
      expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows).toEqual([
        { integrity_check: "ok" },
      ]);
      const answered = [
        ...heldAnswers.map((a) => a.body),
        ...burstOutcomes.flatMap((o) => ("status" in o && o.status === 201 ? [o.body] : [])),
      ];
      // Everything answered 201 is there with its license and both audit rows...
      for (const created of answered) {
        const row = await db
          .selectFrom("clients")
          .leftJoin("licenses", "licenses.client_id", "clients.id")
          .select(["clients.name", "licenses.pool_id"])
          .where("clients.id", "=", created.client.id)
          .executeTakeFirst();
        expect(row).toEqual({ name: created.client.name, pool_id: poolId });
        const actions = await db
          .selectFrom("activity")
          .select("action")
          .where("client_id", "=", created.client.id)
          .orderBy("id")
          .execute();
        expect(actions.map((a) => a.action)).toEqual(["client.created", "license.allocated"]);
      }
      // ...and nothing else is: no request that went unanswered committed anything.
      const clients = await db.selectFrom("clients").select("name").where("reseller_id", "=", resellerId).execute();
      expect(clients.map((c) => c.name).sort()).toEqual(answered.map((c) => c.client.name).sort());
      const pool = await db.selectFrom("pools").select(["used", "total"]).where("id", "=", poolId).executeTakeFirstOrThrow();
      const held = await db
        .selectFrom("licenses")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(pool.used).toBe(answered.length);
      expect(Number(held.n)).toBe(answered.length);
    });
  });

  it("does not wait longer than SHUTDOWN_TIMEOUT_MS for a request that does not finish: cuts it, exits 1", async () => {
    const { file, server, apiKey, resellerId, poolId } = await world({ SHUTDOWN_TIMEOUT_MS: "300" });
    const agent = new http.Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    // A client that sends its headers and then never its body keeps its request in flight for ever.
    const stuck = heldRequest(server.port, apiKey, agent, { name: "Stuck", site_url: "https://stuck.example", pool_id: poolId });
    await stuck.started;
    const answer = stuck.answer.then(
      (a) => `answered ${a.status}`,
      (err: NodeJS.ErrnoException) => `cut: ${err.code}`,
    );
    server.child.kill("SIGTERM");

    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.output()).toMatch(/requests still running after SHUTDOWN_TIMEOUT_MS=300 were cut off, database closed/);
    expect(await answer).toMatch(/^cut: /);
    await withDb(file.url, async (db) => {
      expect(await db.selectFrom("clients").select("id").where("reseller_id", "=", resellerId).execute()).toEqual([]);
      const pool = await db.selectFrom("pools").select("used").where("id", "=", poolId).executeTakeFirstOrThrow();
      expect(pool.used).toBe(0);
    });
  });

  it("writes check-ins recorded just before SIGTERM (batched last-seen times) on the way out", async () => {
    const { file, server, apiKey, poolId } = await world();
    const onboarded = await tryRequest("POST", `${server.url}/api/v1/clients`, apiKey, {
      name: "Heartbeat",
      site_url: "https://heartbeat.example",
      pool_id: poolId,
    });
    if (!("status" in onboarded) || onboarded.status !== 201) throw new Error(`onboard failed: ${JSON.stringify(onboarded)}`);
    const clientId: string = onboarded.body.client.id;
    const checkIn = await tryRequest("POST", `${server.url}/api/plugin/v1/check-in`, onboarded.body.site_key, {
      plugin_version: "9.9.9",
    });
    expect("status" in checkIn && checkIn.status).toBe(200);
    const lastSeen = (db: Db) =>
      db
        .selectFrom("clients")
        .select(["last_check_in_at", "plugin_version"])
        .where("id", "=", clientId)
        .executeTakeFirstOrThrow();
    // Batched, not yet written (the flush timer is set far beyond this test)...
    expect(await withDb(file.url, lastSeen)).toEqual({ last_check_in_at: null, plugin_version: null });

    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // ...and written by the shutdown.
    const seen = await withDb(file.url, lastSeen);
    expect(seen.plugin_version).toBe("9.9.9");
    expect(seen.last_check_in_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

/**
 * An onboarding request sent with `Expect: 100-continue`: its headers go at once, its body only on `sendBody()`.
 * `started` resolves when the server has answered `100 Continue`, i.e. when its request handler is already running.
 */
function heldRequest(port: number, token: string, agent: http.Agent, body: unknown) {
  const payload = JSON.stringify(body);
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const req = http.request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/api/v1/clients",
    agent,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
      expect: "100-continue",
    },
  });
  req.on("continue", markStarted);
  const answer = new Promise<{ status: number; connection: string | undefined; body: any }>((resolve, reject) => {
    req.on("error", reject);
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        text += d;
      });
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: JSON.parse(text) }));
    });
  });
  req.flushHeaders();
  return { started, answer, sendBody: () => req.end(payload) };
}

/** Whether a new TCP connection to the port is accepted right now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
