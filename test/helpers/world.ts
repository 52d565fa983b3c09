import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import type { AccessSettings } from "../../src/core/access-settings.js";
import { createReseller, createSupportToken, createUser } from "../../src/core/accounts.js";
import type { CheckInSettings } from "../../src/core/check-in-settings.js";
import type { IdempotencySettings } from "../../src/core/idempotency.js";
import { openDatabase } from "../../src/db/open.js";
import type { Db } from "../../src/db/schema.js";
import { buildApp } from "../../src/server/app.js";

export type DialectUnderTest = "sqlite" | "postgres";
/** The reseller-API rate limit test servers (in-process and spawned) run with unless a test asks for another. */
export const TEST_API_RATE_LIMIT = 1_000_000;
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestServer {
  url: string;
  databaseUrl: string;
  db: Db;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** A real server on a random port over a brand-new database: an SQLite file in a temp dir, or a fresh PostgreSQL database. */
export async function startServer(
  dialect: DialectUnderTest = "sqlite",
  opts: {
    webRoot?: string;
    checkIn?: Partial<CheckInSettings>;
    /**
     * Reseller-API requests per key per minute. Suites script thousands of calls with one key, so the test default is
     * far above production's 1200 (API_RATE_LIMIT); test/api-rate-limit.test.ts sets a low one.
     */
    apiRateLimitPerMinute?: number;
    idempotency?: Partial<IdempotencySettings>;
    /** Session, sign-in lockout and invite settings (test/access suites use short ones). */
    access?: Partial<AccessSettings>;
  } = {},
): Promise<TestServer> {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "licensepool-test-"));
    databaseUrl = `sqlite:${join(dir, "test.db")}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `lp_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const db = await openDatabase(databaseUrl);
  const app = await buildApp({
    db,
    ...(opts.webRoot ? { webRoot: opts.webRoot } : {}),
    ...(opts.checkIn ? { checkIn: opts.checkIn } : {}),
    apiRateLimitPerMinute: opts.apiRateLimitPerMinute ?? TEST_API_RATE_LIMIT,
    ...(opts.idempotency ? { idempotency: opts.idempotency } : {}),
    ...(opts.access ? { access: opts.access } : {}),
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: address,
    databaseUrl,
    db,
    app,
    async close() {
      await app.close();
      await db.destroy();
      await cleanup();
    },
  };
}

let seq = 0;
/** A reseller with an API key (and, when asked, a dashboard login), named uniquely per call. */
export async function makeReseller(db: Db, opts: { password?: string } = {}) {
  seq += 1;
  const email = `reseller${seq}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await createReseller(db, { name: `Reseller ${seq}`, email, actor: "test" });
  if (opts.password) await createUser(db, { email, password: opts.password, role: "reseller", resellerId: created.reseller.id });
  return { ...created, email };
}

export async function makeSupport(db: Db, opts: { password?: string } = {}) {
  const { token } = await createSupportToken(db, "test");
  const email = `support-${Math.random().toString(36).slice(2, 8)}@example.com`;
  if (opts.password) await createUser(db, { email, password: opts.password, role: "support", resellerId: null });
  return { token, email };
}

/** A small JSON client bound to one bearer token, returning status and parsed body without throwing. */
export function client(base: string, token?: string) {
  return async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
}
export type Call = ReturnType<typeof client>;

/** True when the local PostgreSQL answers; suites that need it say why they skip when it does not. */
export async function postgresAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** One server with two resellers and a support token: the world most API suites start from. */
export async function startWorld(dialect: DialectUnderTest) {
  const server = await startServer(dialect);
  const alice = await makeReseller(server.db);
  const bob = await makeReseller(server.db);
  const support = await makeSupport(server.db);
  const api = client(server.url, alice.api_key);
  const purchase = async (planId = "plan_premium_5"): Promise<string> =>
    (await api("POST", "/api/v1/purchases", { plan_id: planId })).body.pool.id;
  let n = 0;
  const onboard = async (poolId?: string, name?: string) => {
    n += 1;
    const r = await api("POST", "/api/v1/clients", {
      name: name ?? `Client ${n}`,
      site_url: `https://site${n}.example.com`,
      ...(poolId ? { pool_id: poolId } : {}),
    });
    if (r.status !== 201) throw new Error(`onboard failed: ${JSON.stringify(r.body)}`);
    return r.body as { client: { id: string; name: string; site_url: string }; site_key: string; license: unknown };
  };
  const checkIn = (siteKey: string, body: unknown = {}) => client(server.url, siteKey)("POST", "/api/plugin/v1/check-in", body);
  return {
    server,
    alice,
    bob,
    api,
    bobApi: client(server.url, bob.api_key),
    supportApi: client(server.url, support.token),
    purchase,
    onboard,
    checkIn,
  };
}
export type World = Awaited<ReturnType<typeof startWorld>>;
