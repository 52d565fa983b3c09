/**
 * `npm run bench:allocate`: allocations/s under 64 concurrent connections, on SQLite and on PostgreSQL (when the local
 * server answers), the real server in its own process; plus what each operation costs in SQL statements. Writes the
 * figures into docs/scaling.md between its bench markers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { createReseller } from "../src/core/accounts.js";
import { allocateLicense } from "../src/core/allocate-license.js";
import { checkIn, newAnswerCache } from "../src/core/check-in.js";
import { checkInSettingsFromEnv } from "../src/core/check-in-settings.js";
import { grantPool } from "../src/core/grant-pool.js";
import { LastSeenRecorder } from "../src/core/last-seen-recorder.js";
import { onboardClient } from "../src/core/onboard-client.js";
import { reissueLicense } from "../src/core/reissue-license.js";
import { revokeLicense } from "../src/core/revoke-license.js";
import { openKeyRing } from "../src/core/signing.js";
import { connect } from "../src/db/connect.js";
import { openDatabase } from "../src/db/open.js";
import { dbSettingsFromEnv } from "../src/db/settings.js";
import { withScratchPostgres, writeBenchBlock } from "./scratch.js";
import { randomPort, spawnServe } from "./server-process.js";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4000);
const CONNECTIONS = 64;

interface Load {
  allocsPerSec: number;
  p50: number;
  p99: number;
  failed: number;
}
interface Result {
  backend: string;
  /** Every request into the same pool: all of them queue on that pool's row lock. */
  onePool: Load;
  /** The same number of requests spread over 16 pools, as when many resellers work at once. */
  sixteenPools: Load;
  statements: Record<string, number>;
}

/** SQL statements per operation, counted on a throwaway reseller (transaction begin/commit included). */
async function statementsPerOperation(databaseUrl: string): Promise<Record<string, number>> {
  let count = 0;
  const db = connect(databaseUrl, dbSettingsFromEnv(), () => {
    count += 1;
  });
  try {
    const { reseller } = await createReseller(db, { name: "Count", email: `count-${Date.now()}@example.com`, actor: "bench" });
    const ctx = { resellerId: reseller.id, actor: "bench" };
    const a = await grantPool(db, { actor: "bench" }, reseller.id, "premium", 10, "bench");
    const b = await grantPool(db, { actor: "bench" }, reseller.id, "business", 10, "bench");
    const settings = checkInSettingsFromEnv();
    const checkInDeps = {
      db,
      keys: await openKeyRing(db, { listedForS: settings.graceS }),
      lastSeen: new LastSeenRecorder(db, 3_600_000),
      settings,
      answers: newAnswerCache(100),
    };
    const measure = async (fn: () => Promise<unknown>) => {
      count = 0;
      await fn();
      return count;
    };
    let siteKey = "";
    let clientId = "";
    const out: Record<string, number> = {};
    out.onboard = await measure(async () => {
      const r = await onboardClient(db, ctx, { name: "C", site_url: "count.example.com" });
      siteKey = r.site_key;
      clientId = r.client.id;
    });
    out.allocate = await measure(() => allocateLicense(db, ctx, a.id, clientId));
    out.reissue = await measure(() => reissueLicense(db, ctx, clientId, b.id));
    // The first check-in after a change signs and stores a new document; the ones after it only read.
    out["check-in after a change"] = await measure(() => checkIn(checkInDeps, siteKey, {}));
    out["check-in"] = await measure(() => checkIn(checkInDeps, siteKey, {}));
    // Last-seen times are written in batches: one UPDATE per 300 sites per flush, whatever the check-in rate.
    out["last-seen flush"] = await measure(() => checkInDeps.lastSeen.flush());
    out.revoke = await measure(() => revokeLicense(db, ctx, clientId));
    checkInDeps.keys.close();
    await checkInDeps.lastSeen.close();
    return out;
  } finally {
    await db.destroy();
  }
}

/** `amount` allocations over 64 connections, each request for the next client into its pool. */
async function allocateAll(port: number, apiKey: string, work: { pool: string; client: string }[]): Promise<Load> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    method: "POST",
    connections: CONNECTIONS,
    amount: work.length,
    requests: [
      {
        setupRequest: (req) => {
          const w = work[next++ % work.length] as { pool: string; client: string };
          return {
            ...req,
            path: `/api/v1/pools/${w.pool}/allocations`,
            headers: { ...req.headers, authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
            body: JSON.stringify({ client_id: w.client }),
          };
        },
      },
    ],
  });
  return {
    allocsPerSec: Math.round(result["2xx"] / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
  };
}

async function run(backend: string, databaseUrl: string): Promise<Result> {
  const db = await openDatabase(databaseUrl);
  const { reseller, api_key } = await createReseller(db, { name: "Bench", email: "bench@example.com", actor: "bench" });
  const ctx = { resellerId: reseller.id, actor: "bench" };
  const hot = await grantPool(db, { actor: "bench" }, reseller.id, "premium", CLIENTS, "bench");
  const spread: { id: string }[] = [];
  for (let i = 0; i < 16; i++) spread.push(await grantPool(db, { actor: "bench" }, reseller.id, "premium", CLIENTS, "bench"));
  const ids: string[] = [];
  for (let i = 0; i < 2 * CLIENTS; i++)
    ids.push((await onboardClient(db, ctx, { name: `S${i}`, site_url: `https://s${i}.bench.example.com` })).client.id);
  await db.destroy();
  const statements = await statementsPerOperation(databaseUrl);

  const port = randomPort();
  const server = await spawnServe(databaseUrl, port);
  try {
    const onePool = await allocateAll(
      port,
      api_key,
      ids.slice(0, CLIENTS).map((client) => ({ pool: hot.id, client })),
    );
    const sixteenPools = await allocateAll(
      port,
      api_key,
      ids.slice(CLIENTS).map((client, i) => ({ pool: spread[i % 16]?.id ?? hot.id, client })),
    );
    for (const [label, l] of [
      ["one pool", onePool],
      ["16 pools", sixteenPools],
    ] as const)
      console.log(
        `${backend.padEnd(11)} ${label.padEnd(9)} ${String(l.allocsPerSec).padStart(6)} allocations/s  p50 ${l.p50} ms  p99 ${l.p99} ms  failed ${l.failed}`,
      );
    console.log(`${backend.padEnd(11)} statements per operation ${JSON.stringify(statements)}`);
    return { backend, onePool, sixteenPools, statements };
  } finally {
    server.kill("SIGTERM");
  }
}

function writeReport(results: Result[]) {
  const ops = Object.keys(results[0]?.statements ?? {});
  writeBenchBlock("docs/scaling.md", "allocate", [
    `Measured by \`npm run bench:allocate\` on ${new Date().toISOString().slice(0, 10)} (2-core machine, server and load generator`,
    `sharing it): ${CLIENTS.toLocaleString("en")} allocations of distinct clients over ${CONNECTIONS} concurrent connections, first all into`,
    "one pool, then spread over 16 pools; one app server with the default settings (DB_POOL_SIZE=10).",
    "",
    "| backend | pools | allocations/s | p50 ms | p99 ms | failed |",
    "|---|---|---:|---:|---:|---:|",
    ...results.flatMap((r) => [
      `| ${r.backend} | one | ${r.onePool.allocsPerSec} | ${r.onePool.p50} | ${r.onePool.p99} | ${r.onePool.failed} |`,
      `| ${r.backend} | 16 | ${r.sixteenPools.allocsPerSec} | ${r.sixteenPools.p50} | ${r.sixteenPools.p99} | ${r.sixteenPools.failed} |`,
    ]),
    "",
    "SQL statements per operation (counted through Kysely's log hook; `begin` and `commit` included):",
    "",
    `| backend | ${ops.join(" | ")} |`,
    `|---|${ops.map(() => "---:").join("|")}|`,
    ...results.map((r) => `| ${r.backend} | ${ops.map((o) => r.statements[o]).join(" | ")} |`),
  ]);
}

async function main() {
  const results: Result[] = [];
  const dir = mkdtempSync(join(tmpdir(), "licensepool-bench-alloc-"));
  try {
    results.push(await run("SQLite", `sqlite:${join(dir, "bench.db")}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const onPostgres = await withScratchPostgres("lp_bench", (url) => run("PostgreSQL", url));
  if (onPostgres) results.push(onPostgres);
  writeReport(results);
}

await main();
