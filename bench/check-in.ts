/**
 * `npm run bench:check-in`: check-in requests/s of the real server (its own process, steady state: every site's signed
 * document already made) beside a bare Fastify route answering a constant body of the same size, in one run, on SQLite
 * and on PostgreSQL (when the local server answers). The target (80% of the bare route on SQLite) lives here, not in
 * tests. Writes the figures into docs/scaling.md between its bench markers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { createReseller } from "../src/core/accounts.js";
import { grantPool } from "../src/core/grant-pool.js";
import { onboardClient } from "../src/core/onboard-client.js";
import { openDatabase } from "../src/db/open.js";
import { withScratchPostgres, writeBenchBlock } from "./scratch.js";
import { randomPort, spawnServe } from "./server-process.js";

const SITES = Number(process.env.BENCH_SITES ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const TARGET_RATIO = 0.8;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}
interface Result {
  backend: string;
  checkIn: Measured;
  bare: Measured;
  bodyBytes: number;
}

async function seed(databaseUrl: string): Promise<string[]> {
  const db = await openDatabase(databaseUrl);
  const { reseller } = await createReseller(db, { name: "Bench", email: "bench@example.com", actor: "bench" });
  const ctx = { resellerId: reseller.id, actor: "bench" };
  const pool = await grantPool(db, { actor: "bench" }, reseller.id, "premium", SITES, "bench");
  const keys: string[] = [];
  for (let i = 0; i < SITES; i++)
    keys.push(
      (await onboardClient(db, ctx, { name: `S${i}`, site_url: `https://s${i}.bench.example.com`, pool_id: pool.id })).site_key,
    );
  await db.destroy();
  return keys;
}

/** POSTs to /api/plugin/v1/check-in, each request with the next site key. */
async function hammer(port: number, keys: string[]): Promise<Measured> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/plugin/v1/check-in`,
    method: "POST",
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, authorization: `Bearer ${keys[next++ % keys.length]}` },
        }),
      },
    ],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
  };
}

function spawnBare(port: number, bodyFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/bare-server.ts"], {
    env: { ...process.env, PORT: String(port), BARE_BODY_FILE: bodyFile },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("listening") && resolve(child));
    child.on("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

async function run(backend: string, databaseUrl: string, dir: string): Promise<Result> {
  const keys = await seed(databaseUrl);
  const port = randomPort();
  // Limits far above the load: the limiter code still runs on every request, it just never says no.
  const server = await spawnServe(databaseUrl, port, { CHECK_IN_RATE_LIMIT: "1000000", CHECK_IN_IP_RATE_LIMIT: "1000000000" });
  const barePort = port + 1;
  let bare: ChildProcess | undefined;
  try {
    // Warm-up: every site's first check-in signs and stores its document; what follows is the steady state.
    let sample = "";
    for (let i = 0; i < keys.length; i += 50)
      await Promise.all(
        keys.slice(i, i + 50).map(async (key) => {
          const res = await fetch(`http://127.0.0.1:${port}/api/plugin/v1/check-in`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}` },
          });
          sample = await res.text();
        }),
      );
    const bodyFile = join(dir, "body.json");
    writeFileSync(bodyFile, sample);
    bare = await spawnBare(barePort, bodyFile);
    const bareLoad = await hammer(barePort, keys);
    const checkIn = await hammer(port, keys);
    const ratio = checkIn.rps / bareLoad.rps;
    console.log(
      `${backend.padEnd(11)} check-in ${String(checkIn.rps).padStart(6)} req/s (p50 ${checkIn.p50} ms, p99 ${checkIn.p99} ms)` +
        `  bare ${String(bareLoad.rps).padStart(6)} req/s  ratio ${(ratio * 100).toFixed(0)}%  failed ${checkIn.failed}`,
    );
    return { backend, checkIn, bare: bareLoad, bodyBytes: Buffer.byteLength(sample) };
  } finally {
    await Promise.all([stop(server), bare ? stop(bare) : undefined]);
  }
}

/** SIGTERM, then wait for the exit: a server still flushing must not find its database dropped under it. */
const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

function writeReport(results: Result[]) {
  const row = (r: Result) => {
    const ratio = r.checkIn.rps / r.bare.rps;
    const verdict = r.backend === "SQLite" ? (ratio >= TARGET_RATIO ? "met" : "MISSED") : "-";
    return `| ${r.backend} | ${r.checkIn.rps} | ${r.checkIn.p50} | ${r.checkIn.p99} | ${r.bare.rps} | ${(ratio * 100).toFixed(0)}% | ${verdict} | ${r.checkIn.failed} |`;
  };
  writeBenchBlock("docs/scaling.md", "check-in", [
    `Measured by \`npm run bench:check-in\` on ${new Date().toISOString().slice(0, 10)} (2-core machine, server and load generator`,
    `sharing it): ${SITES.toLocaleString("en")} licensed sites checking in round-robin over ${CONNECTIONS} connections for ${SECONDS} s, after`,
    `one warm-up check-in each (so every signed document exists); beside a bare Fastify route answering a constant`,
    `body of the same size (${results[0]?.bodyBytes ?? 0} bytes), in the same run. Target: 80% of the bare route on SQLite.`,
    "",
    "| backend | check-ins/s | p50 ms | p99 ms | bare route req/s | ratio | 80% target | failed |",
    "|---|---:|---:|---:|---:|---:|---|---:|",
    ...results.map(row),
  ]);
}

const dir = mkdtempSync(join(tmpdir(), "licensepool-bench-check-in-"));
const results: Result[] = [];
try {
  results.push(await run("SQLite", `sqlite:${join(dir, "bench.db")}`, dir));
  const onPostgres = await withScratchPostgres("lp_bench_checkin", (url) => run("PostgreSQL", url, dir));
  if (onPostgres) results.push(onPostgres);
  writeReport(results);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
