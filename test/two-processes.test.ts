import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Call, client, makeReseller, startServer, type TestServer } from "./helpers/world.js";

/** A second server process on the same SQLite file, as when the CLI or a second instance runs beside the server. */
function startSecondProcess(databaseUrl: string, port: number): Promise<ChildProcess> {
  // node itself with tsx as a loader (not npx, which would leave the real server running when killed).
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("listening") && resolve(child));
    child.on("exit", (code) => reject(new Error(`second server exited with ${code}`)));
  });
}

describe("two server processes on one SQLite file", () => {
  let server: TestServer;
  let second: ChildProcess;
  let first: Call;
  let other: Call;
  beforeAll(async () => {
    server = await startServer("sqlite");
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    second = await startSecondProcess(server.databaseUrl, port);
    const r = await makeReseller(server.db);
    first = client(server.url, r.api_key);
    other = client(`http://127.0.0.1:${port}`, r.api_key);
  }, 60_000);
  afterAll(async () => {
    second?.kill("SIGTERM");
    await server.close();
  });

  it("queues writers instead of failing them, and keeps the pool invariant", async () => {
    const pool = (await first("POST", "/api/v1/purchases", { plan_id: "plan_premium_25" })).body.pool.id;
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push((await first("POST", "/api/v1/clients", { name: `P${i}`, site_url: `https://p${i}.example.com` })).body.client.id);
    const results = await Promise.all(
      ids.map((id, i) => (i % 2 ? first : other)("POST", `/api/v1/pools/${pool}/allocations`, { client_id: id })),
    );
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
    expect(results.filter((r) => r.status === 201)).toHaveLength(25);
    expect(results.filter((r) => r.body?.error?.code === "pool_full")).toHaveLength(35);
    const seen = await other("GET", `/api/v1/pools/${pool}?limit=200`);
    expect(seen.body.pool.used).toBe(25);
    expect(seen.body.clients).toHaveLength(25);
  });

  it("serialises transactions that read before they write (purchases, pool requests) across processes", async () => {
    const purchases = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? first : other)("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })),
    );
    expect(purchases.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const pool = purchases[0]?.body.pool.id;
    const requests = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? first : other)("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 6 + i, note: "" }),
      ),
    );
    expect(requests.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
  });
});
