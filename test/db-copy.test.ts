import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../src/db/connect.js";
import { tableCounts } from "../src/db/copy.js";
import { migrate } from "../src/db/migrations.js";
import { openDatabase } from "../src/db/open.js";
import { isMigrationTable, TABLES_IN_DEPENDENCY_ORDER } from "../src/db/tables.js";
import { buildApp } from "../src/server/app.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { client, makeReseller, PG_ADMIN_URL, startServer, startWorld, type World } from "./helpers/world.js";

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args]);

async function pgAdmin(query: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(query);
  await admin.end();
}

/** An empty database of the given kind (a fresh SQLite path or PostgreSQL database) and how to drop it. */
async function emptyDatabase(kind: "sqlite" | "postgres", dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === "sqlite") return { url: `sqlite:${join(dir, "copy.db")}`, drop: async () => {} };
  const name = `lp_copy_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await pgAdmin(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => pgAdmin(`drop database if exists ${name} with (force)`) };
}

describe("TABLES_IN_DEPENDENCY_ORDER", () => {
  it("lists every table the migrations create, so db copy cannot leave one behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "licensepool-tables-"));
    const db = connect(`sqlite:${join(dir, "t.db")}`);
    try {
      await migrate(db as never);
      const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !isMigrationTable(n));
      expect(TABLES_IN_DEPENDENCY_ORDER.map((t) => t.table).sort()).toEqual(tables.sort());
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** From a live SQLite deployment to each backend, through the real CLI, then a server on the copy. */
describe.each(await dialectsUnderTest())("npm run cli -- db copy from SQLite to %s", (targetKind) => {
  let world: World;
  let dir: string;
  let target: string;
  let dropTarget: () => Promise<void>;
  let siteKey: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "licensepool-copy-"));
    world = await startWorld("sqlite");
    const pool = await world.purchase("plan_premium_5");
    const a = await world.onboard(pool, "Copied Co");
    await world.onboard(undefined, "Unlicensed Ltd");
    siteKey = a.site_key;
    expect((await world.checkIn(siteKey)).status).toBe(200);
    await world.api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: 9, note: "growing" });
    ({ url: target, drop: dropTarget } = await emptyDatabase(targetKind, dir));
  }, 60_000);
  afterAll(async () => {
    await world.server.close();
    await dropTarget();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies every table with matching counts, and the copy serves the same keys, pools and signatures", async () => {
    const { stdout } = await cli("db", "copy", "--from", world.server.databaseUrl, "--to", target, "--json");
    const copied = JSON.parse(stdout.trim().split("\n").at(-1) ?? "").copied as Record<string, number>;
    expect(copied).toEqual(await tableCounts(world.server.databaseUrl));
    expect(await tableCounts(target)).toEqual(copied);
    expect(copied.activity).toBeGreaterThan(3);

    const db = await openDatabase(target);
    const app = await buildApp({ db });
    try {
      const url = await app.listen({ port: 0, host: "127.0.0.1" });
      const before = await world.api("GET", "/api/v1/pools");
      const after = await client(url, world.alice.api_key)("GET", "/api/v1/pools");
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.body);
      const checkIn = await client(url, siteKey)("POST", "/api/plugin/v1/check-in", {});
      expect(checkIn.body.tier).toBe("premium");
      const keyBefore = await world.api("GET", "/api/plugin/v1/signing-key");
      const keyAfter = await client(url)("GET", "/api/plugin/v1/signing-key");
      expect(keyAfter.body).toEqual(keyBefore.body);
    } finally {
      await app.close();
      await db.destroy();
    }
  });

  it("refuses a non-empty target without --force and leaves it untouched; --force replaces it exactly", async () => {
    const before = await tableCounts(target);
    await expect(cli("db", "copy", "--from", world.server.databaseUrl, "--to", target)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/target already holds data .*add --force/),
    });
    expect(await tableCounts(target)).toEqual(before);

    await world.onboard(undefined, "Added Later");
    const { stdout } = await cli("db", "copy", "--from", world.server.databaseUrl, "--to", target, "--force");
    expect(stdout).toContain("every table's count matches the source");
    expect(await tableCounts(target)).toEqual(await tableCounts(world.server.databaseUrl));
  });

  it("refuses to copy a database onto itself", async () => {
    await expect(cli("db", "copy", "--from", target, "--to", target)).rejects.toMatchObject({
      stderr: expect.stringContaining("same database"),
    });
  });
});

describe.skipIf(!(await dialectsUnderTest()).includes("postgres"))("db copy back from PostgreSQL to SQLite", () => {
  it("round-trips: a PostgreSQL deployment copied to a fresh SQLite file has the same counts", async () => {
    const source = await startServer("postgres");
    const dir = mkdtempSync(join(tmpdir(), "licensepool-copyback-"));
    try {
      const r = await makeReseller(source.db);
      const api = client(source.url, r.api_key);
      const pool = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
      await api("POST", "/api/v1/clients", { name: "Back", site_url: "back.example.com", pool_id: pool });
      const target = `sqlite:${join(dir, "back.db")}`;
      await cli("db", "copy", "--from", source.databaseUrl, "--to", target);
      expect(await tableCounts(target)).toEqual(await tableCounts(source.databaseUrl));
    } finally {
      await source.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
