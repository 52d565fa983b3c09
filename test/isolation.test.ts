import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../src/core/pagination.js";
import { diffSnapshots, openSnapshots, type Snapshots } from "./helpers/db-snapshot.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { isDashboardFile, routeKeys } from "./helpers/routes.js";
import { client, makeReseller, makeSupport, startServer, type TestServer } from "./helpers/world.js";

/**
 * Isolation between resellers, route by route. Reseller B, with its own valid credentials (an API key, then a dashboard
 * session with its CSRF token), aims every reseller route at reseller A's objects: A's pools, clients (licensed,
 * unlicensed, suspended), pool requests, purchases, activity, and the mixed cases (B's client into A's pool, A's client
 * into B's pool). Every such request must answer 404 `not_found`, exactly as for an id that does not exist, mention none
 * of A's ids, and leave the database as it was: all tables are compared row by row, through a second connection,
 * before and after each request.
 *
 * The matrix below is keyed by the app's registered routes (`METHOD /path/:param`), and the first test checks it against
 * the routes the real app registers: a new route that nobody classified here fails it, and so does a stale entry.
 */

const PASSWORD = "isolation-test-password";

interface Req {
  method: string;
  path: string;
  body?: unknown;
}

interface Fixtures {
  resellerId: string;
  email: string;
  apiKey: string;
  pools: { first: string; second: string };
  clients: { licensed: string; unlicensed: string; suspended: string };
  names: string[];
  poolRequests: { pending: string; declined: string };
  purchases: string[];
  activity: string[];
  /** The owner's dashboard session (login with PASSWORD). */
  session: { cookie: string; csrf: string };
  users: { owner: string; staff: string };
  invite: { id: string; token: string };
  apiKeys: { primary: string; second: string };
}

interface World {
  a: Fixtures;
  b: Fixtures;
  /** Well-formed ids that exist nowhere: the answer for A's ids must be the answer for these. */
  unknown: { pool: string; client: string; poolRequest: string; reseller: string };
}

/**
 * - `id`: the route names objects by id (path parameter or body/query field); with A's ids it must answer 404
 *   `not_found` and change nothing.
 * - `filter`: a list whose query filters on an id or text; a filter naming A's objects must answer exactly what a
 *   filter naming nothing answers (so the list neither shows nor reveals A's objects), and change nothing.
 * - `own`: takes no other reseller's ids; acts on or lists the caller's own data only. Probed with B's credentials:
 *   the answer mentions nothing of A, and whatever changed in the database mentions nothing of A.
 * - `refused`: not for reseller credentials at all (support console, plugin check-in): 401/403 and nothing changed.
 * - `public`: needs no credentials and serves nothing reseller-specific.
 */
type Entry =
  | { kind: "id"; owner?: true; requests: (w: World) => Req[] }
  | { kind: "filter"; reason: string; pairs: (w: World) => { probe: Req; control: Req }[] }
  | { kind: "own"; owner?: true; reason: string; probes?: (w: World) => Req[] }
  | { kind: "refused"; reason: string; requests: (w: World) => Req[] }
  | { kind: "token"; reason: string; requests: (w: World) => Req[] }
  | { kind: "public"; reason: string; probes?: (w: World) => Req[] };
/*
 * `owner`: owners only (the team, invites, API keys). API keys never act as owners, so B's API key gets 403 `forbidden`
 * there before any id is looked at (the same for A's ids and for ids that do not exist); B's owner session gets the
 * kind's answer (404 for A's ids).
 * `token`: the path carries a secret that is the credential itself (an invite link): whoever holds it may use it, the
 * caller's own credentials add nothing. A made-up token must answer 404 and change nothing.
 */

const eachClient = (w: World, build: (id: string) => Req): Req[] => Object.values(w.a.clients).map(build);
const q = (path: string, query: Record<string, string>) => `${path}?${new URLSearchParams(query)}`;

const MATRIX: Record<string, Entry> = {
  // --- Reseller API: objects by id -------------------------------------------------------------------------------
  "GET /api/v1/pools/:id": {
    kind: "id",
    requests: (w) => [
      { method: "GET", path: `/api/v1/pools/${w.a.pools.first}` },
      { method: "GET", path: `/api/v1/pools/${w.a.pools.second}?limit=1` },
    ],
  },
  "POST /api/v1/pools/:id/allocations": {
    kind: "id",
    requests: (w) => [
      // A's client into A's pool, B's client into A's pool, A's client into B's pool.
      { method: "POST", path: `/api/v1/pools/${w.a.pools.second}/allocations`, body: { client_id: w.a.clients.unlicensed } },
      { method: "POST", path: `/api/v1/pools/${w.a.pools.second}/allocations`, body: { client_id: w.b.clients.unlicensed } },
      { method: "POST", path: `/api/v1/pools/${w.b.pools.second}/allocations`, body: { client_id: w.a.clients.unlicensed } },
      { method: "POST", path: `/api/v1/pools/${w.b.pools.second}/allocations`, body: { client_id: w.a.clients.licensed } },
    ],
  },
  "POST /api/v1/clients": {
    kind: "id",
    requests: (w) => [
      {
        method: "POST",
        path: "/api/v1/clients",
        body: { name: "Stolen slot", site_url: "https://stolen.example", pool_id: w.a.pools.second },
      },
    ],
  },
  "GET /api/v1/clients/:id": {
    kind: "id",
    requests: (w) => eachClient(w, (id) => ({ method: "GET", path: `/api/v1/clients/${id}` })),
  },
  "PATCH /api/v1/clients/:id": {
    kind: "id",
    requests: (w) => [
      ...eachClient(w, (id) => ({ method: "PATCH", path: `/api/v1/clients/${id}`, body: { name: "pwned" } })),
      { method: "PATCH", path: `/api/v1/clients/${w.a.clients.licensed}`, body: { site_url: "https://pwned.example" } },
    ],
  },
  "DELETE /api/v1/clients/:id": {
    kind: "id",
    requests: (w) => eachClient(w, (id) => ({ method: "DELETE", path: `/api/v1/clients/${id}` })),
  },
  // The unlicensed client must answer 404 too, not 409 client_not_licensed: B learns nothing about A's clients' state.
  "DELETE /api/v1/clients/:id/license": {
    kind: "id",
    requests: (w) => eachClient(w, (id) => ({ method: "DELETE", path: `/api/v1/clients/${id}/license` })),
  },
  "POST /api/v1/clients/:id/license/reissue": {
    kind: "id",
    requests: (w) => [
      { method: "POST", path: `/api/v1/clients/${w.a.clients.licensed}/license/reissue`, body: { pool_id: w.b.pools.second } },
      { method: "POST", path: `/api/v1/clients/${w.a.clients.licensed}/license/reissue`, body: { pool_id: w.a.pools.second } },
      { method: "POST", path: `/api/v1/clients/${w.a.clients.unlicensed}/license/reissue`, body: { pool_id: w.b.pools.second } },
      { method: "POST", path: `/api/v1/clients/${w.b.clients.licensed}/license/reissue`, body: { pool_id: w.a.pools.second } },
    ],
  },
  // Suspending A's suspended client (or resuming an active one) must be 404 as well, not an idempotent 200 or a 409.
  "POST /api/v1/clients/:id/suspend": {
    kind: "id",
    requests: (w) => eachClient(w, (id) => ({ method: "POST", path: `/api/v1/clients/${id}/suspend` })),
  },
  "POST /api/v1/clients/:id/resume": {
    kind: "id",
    requests: (w) => eachClient(w, (id) => ({ method: "POST", path: `/api/v1/clients/${id}/resume` })),
  },
  "POST /api/v1/clients/:id/site-key": {
    kind: "id",
    requests: (w) => eachClient(w, (id) => ({ method: "POST", path: `/api/v1/clients/${id}/site-key` })),
  },
  "POST /api/v1/pool-requests": {
    kind: "id",
    requests: (w) => [
      { method: "POST", path: "/api/v1/pool-requests", body: { pool_id: w.a.pools.first, requested_total: 50, note: "" } },
      { method: "POST", path: "/api/v1/pool-requests", body: { pool_id: w.a.pools.second, requested_total: 1 } },
    ],
  },

  // --- Reseller API: lists that filter by id or text ----------------------------------------------------------------
  "GET /api/v1/clients": {
    kind: "filter",
    reason: "lists the caller's clients; ?pool_id= and ?q= naming A's pool or client find nothing, like unknown ones",
    pairs: (w) => [
      {
        probe: { method: "GET", path: q("/api/v1/clients", { pool_id: w.a.pools.first }) },
        control: { method: "GET", path: q("/api/v1/clients", { pool_id: w.unknown.pool }) },
      },
      {
        probe: { method: "GET", path: q("/api/v1/clients", { q: w.a.names[0] ?? "" }) },
        control: { method: "GET", path: q("/api/v1/clients", { q: "nothing-is-called-this" }) },
      },
    ],
  },
  "GET /api/v1/activity": {
    kind: "filter",
    reason: "lists the caller's audit trail; ?client_id= and ?pool_id= naming A's objects find nothing, like unknown ones",
    pairs: (w) => [
      {
        probe: { method: "GET", path: q("/api/v1/activity", { client_id: w.a.clients.licensed }) },
        control: { method: "GET", path: q("/api/v1/activity", { client_id: w.unknown.client }) },
      },
      {
        probe: { method: "GET", path: q("/api/v1/activity", { pool_id: w.a.pools.first }) },
        control: { method: "GET", path: q("/api/v1/activity", { pool_id: w.unknown.pool }) },
      },
    ],
  },

  // --- Reseller API: the caller's own data, no ids ----------------------------------------------------------------
  "GET /api/v1/plans": {
    kind: "own",
    reason: "the plan catalog: global, the same for every reseller",
    probes: () => [{ method: "GET", path: "/api/v1/plans" }],
  },
  "POST /api/v1/purchases": {
    kind: "own",
    reason: "plan ids are global catalog ids; the pool it makes is the caller's",
    probes: () => [{ method: "POST", path: "/api/v1/purchases", body: { plan_id: "plan_premium_5" } }],
  },
  "GET /api/v1/purchases": {
    kind: "own",
    reason: "lists the caller's purchases; a cursor is a position in that list, not an object (A's cursor shows B's rows)",
    probes: (w) => [
      { method: "GET", path: "/api/v1/purchases" },
      { method: "GET", path: q("/api/v1/purchases", { cursor: encodeCursor(w.a.purchases[0] ?? "") }) },
    ],
  },
  "GET /api/v1/pools": {
    kind: "own",
    reason: "lists the caller's pools",
    probes: () => [{ method: "GET", path: "/api/v1/pools" }],
  },
  "GET /api/v1/pool-requests": {
    kind: "own",
    reason: "lists the caller's pool requests (?status= is not an id)",
    probes: () => [
      { method: "GET", path: "/api/v1/pool-requests" },
      { method: "GET", path: "/api/v1/pool-requests?status=pending" },
    ],
  },
  "GET /api/v1/me": { kind: "own", reason: "the caller's own reseller", probes: () => [{ method: "GET", path: "/api/v1/me" }] },
  "POST /api/v1/api-key/rotate": {
    kind: "own",
    reason: "rotates the key the caller sent (probed last: it ends B's API key)",
  },

  // --- Reseller API: team and API keys (owners only) --------------------------------------------------------------
  "PATCH /api/v1/users/:id": {
    kind: "id",
    owner: true,
    requests: (w) => [
      { method: "PATCH", path: `/api/v1/users/${w.a.users.staff}`, body: { role: "owner" } },
      { method: "PATCH", path: `/api/v1/users/${w.a.users.owner}`, body: { role: "viewer" } },
    ],
  },
  "DELETE /api/v1/users/:id": {
    kind: "id",
    owner: true,
    requests: (w) => [
      { method: "DELETE", path: `/api/v1/users/${w.a.users.staff}` },
      { method: "DELETE", path: `/api/v1/users/${w.a.users.owner}` },
    ],
  },
  "DELETE /api/v1/invites/:id": {
    kind: "id",
    owner: true,
    requests: (w) => [{ method: "DELETE", path: `/api/v1/invites/${w.a.invite.id}` }],
  },
  "POST /api/v1/api-keys/:id/rotate": {
    kind: "id",
    owner: true,
    requests: (w) => [
      { method: "POST", path: `/api/v1/api-keys/${w.a.apiKeys.primary}/rotate` },
      { method: "POST", path: `/api/v1/api-keys/${w.a.apiKeys.second}/rotate` },
    ],
  },
  "DELETE /api/v1/api-keys/:id": {
    kind: "id",
    owner: true,
    requests: (w) => [
      { method: "DELETE", path: `/api/v1/api-keys/${w.a.apiKeys.primary}` },
      { method: "DELETE", path: `/api/v1/api-keys/${w.a.apiKeys.second}` },
    ],
  },
  "GET /api/v1/users": {
    kind: "own",
    owner: true,
    reason: "lists the caller's team",
    probes: () => [{ method: "GET", path: "/api/v1/users" }],
  },
  "POST /api/v1/users": {
    kind: "own",
    owner: true,
    reason: "invites an email into the caller's team; takes no ids",
    probes: () => [{ method: "POST", path: "/api/v1/users", body: { email: "newcomer@bravo.example", role: "viewer" } }],
  },
  "GET /api/v1/invites": {
    kind: "own",
    owner: true,
    reason: "lists the caller's pending invites",
    probes: () => [{ method: "GET", path: "/api/v1/invites" }],
  },
  "GET /api/v1/api-keys": {
    kind: "own",
    owner: true,
    reason: "lists the caller's API keys",
    probes: () => [{ method: "GET", path: "/api/v1/api-keys" }],
  },
  "POST /api/v1/api-keys": {
    kind: "own",
    owner: true,
    reason: "makes a key for the caller's reseller; takes no ids",
    probes: () => [{ method: "POST", path: "/api/v1/api-keys", body: { name: "bravo script", scope: "read" } }],
  },

  // --- Support console: never for reseller credentials -----------------------------------------------------------
  "GET /api/support/v1/resellers": {
    kind: "refused",
    reason: "support console",
    requests: (w) => [{ method: "GET", path: q("/api/support/v1/resellers", { q: w.a.email }) }],
  },
  "POST /api/support/v1/resellers/:id/pools": {
    kind: "refused",
    reason: "support console",
    requests: (w) => [
      {
        method: "POST",
        path: `/api/support/v1/resellers/${w.a.resellerId}/pools`,
        body: { license_type: "premium", total: 5, reason: "x" },
      },
      {
        method: "POST",
        path: `/api/support/v1/resellers/${w.b.resellerId}/pools`,
        body: { license_type: "premium", total: 5, reason: "x" },
      },
    ],
  },
  "POST /api/support/v1/pools/:id/adjust": {
    kind: "refused",
    reason: "support console",
    requests: (w) => [
      { method: "POST", path: `/api/support/v1/pools/${w.a.pools.first}/adjust`, body: { total: 100, reason: "x" } },
      { method: "POST", path: `/api/support/v1/pools/${w.b.pools.first}/adjust`, body: { total: 100, reason: "x" } },
    ],
  },
  "GET /api/support/v1/pool-requests": {
    kind: "refused",
    reason: "support console",
    requests: () => [{ method: "GET", path: "/api/support/v1/pool-requests" }],
  },
  "POST /api/support/v1/pool-requests/:id/approve": {
    kind: "refused",
    reason: "support console",
    requests: (w) => [
      { method: "POST", path: `/api/support/v1/pool-requests/${w.a.poolRequests.pending}/approve` },
      { method: "POST", path: `/api/support/v1/pool-requests/${w.b.poolRequests.pending}/approve` },
    ],
  },
  "POST /api/support/v1/pool-requests/:id/decline": {
    kind: "refused",
    reason: "support console",
    requests: (w) => [
      { method: "POST", path: `/api/support/v1/pool-requests/${w.a.poolRequests.pending}/decline`, body: { reason: "x" } },
      { method: "POST", path: `/api/support/v1/pool-requests/${w.b.poolRequests.pending}/decline`, body: {} },
    ],
  },

  // --- Plugin API ---------------------------------------------------------------------------------------------------
  "POST /api/plugin/v1/check-in": {
    kind: "refused",
    reason: "authenticated by a client's site key only; a reseller's API key or session is not one",
    requests: () => [{ method: "POST", path: "/api/plugin/v1/check-in", body: {} }],
  },
  "GET /api/plugin/v1/keys": {
    kind: "public",
    reason: "the public keys check-in answers are signed with",
    probes: () => [{ method: "GET", path: "/api/plugin/v1/keys" }],
  },
  "GET /api/plugin/v1/signing-key": {
    kind: "public",
    reason: "the active public signing key",
    probes: () => [{ method: "GET", path: "/api/plugin/v1/signing-key" }],
  },

  // --- Sessions -----------------------------------------------------------------------------------------------------
  "POST /api/auth/login": { kind: "public", reason: "signs in with email and password; takes no ids" },
  "GET /api/auth/session": {
    kind: "own",
    reason: "the caller's own session (the cookie names it)",
    probes: () => [{ method: "GET", path: "/api/auth/session" }],
  },
  "POST /api/auth/logout": {
    kind: "own",
    reason: "ends the session the cookie names (probed last: it ends B's session)",
  },
  "POST /api/auth/logout-everywhere": {
    kind: "own",
    reason: "ends every session of the signed-in user (probed last: it ends B's sessions)",
  },
  "GET /api/auth/invites/:token": {
    kind: "token",
    reason: "an invite link: the token is the credential",
    requests: () => [{ method: "GET", path: "/api/auth/invites/lp_inv_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
  },
  "POST /api/auth/invites/:token/accept": {
    kind: "token",
    reason: "an invite link: the token is the credential",
    requests: () => [
      {
        method: "POST",
        path: "/api/auth/invites/lp_inv_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/accept",
        body: { password: "a-long-enough-password" },
      },
    ],
  },

  // --- Outside the API ----------------------------------------------------------------------------------------------
  "GET /healthz": { kind: "public", reason: "liveness probe", probes: () => [{ method: "GET", path: "/healthz" }] },
};

describe.each(await dialectsUnderTest())("isolation between resellers, route by route (%s)", (dialect) => {
  let server: TestServer;
  let snaps: Snapshots;
  let w: World;

  beforeAll(async () => {
    server = await startServer(dialect);
    snaps = openSnapshots(server.databaseUrl);
    const support = await makeSupport(server.db);
    const a = await fixturesFor(server, support.token, "alpha");
    const b = await fixturesFor(server, support.token, "bravo");
    w = {
      a,
      b,
      unknown: {
        pool: "pool_01aaaaaaaaaaaaaaaaaaaaaaaa",
        client: "cli_01aaaaaaaaaaaaaaaaaaaaaaaa",
        poolRequest: "preq_01aaaaaaaaaaaaaaaaaaaaaaaa",
        reseller: "res_01aaaaaaaaaaaaaaaaaaaaaaaa",
      },
    };
  });
  afterAll(async () => {
    await snaps?.close();
    await server?.close();
  });

  interface Credentials {
    label: string;
    apiKey: boolean;
    headers(method: string): Record<string, string>;
  }
  /** B's two kinds of credentials: what a script sends, and what the dashboard sends. */
  const credentials = (): Credentials[] => [
    { label: "B's API key", apiKey: true, headers: () => ({ authorization: `Bearer ${w.b.apiKey}` }) },
    {
      label: "B's session cookie + CSRF token",
      apiKey: false,
      headers: (method) => ({
        cookie: w.b.session.cookie,
        ...(method === "GET" || method === "HEAD" ? {} : { "x-csrf-token": w.b.session.csrf }),
      }),
    },
  ];

  async function send(req: Req, headers: Record<string, string>) {
    const res = await fetch(`${server.url}${req.path}`, {
      method: req.method,
      headers: { ...headers, ...(req.body !== undefined ? { "content-type": "application/json" } : {}) },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? (JSON.parse(text) as any) : null };
  }

  /** A's ids, email and client names: none of them may appear in an answer to B or in a row B's request changed. */
  const markersOfA = () => [
    w.a.resellerId,
    w.a.email,
    ...Object.values(w.a.pools),
    ...Object.values(w.a.clients),
    ...Object.values(w.a.poolRequests),
    ...Object.values(w.a.users),
    ...Object.values(w.a.apiKeys),
    w.a.invite.id,
    ...w.a.purchases,
    ...w.a.activity,
    ...w.a.names,
  ];
  const leaksOfA = (text: string) => markersOfA().filter((m) => text.includes(m));

  /** Sends `req` and returns the answer with the rows it changed (compared through a second connection). */
  async function sendAndDiff(req: Req, headers: Record<string, string>) {
    const before = await snaps.snapshot();
    const answer = await send(req, headers);
    return { answer, changed: diffSnapshots(before, await snaps.snapshot()) };
  }

  /** Owners-only routes refuse every API key (403 forbidden) before looking at ids; everything else answers `code`. */
  const expectedFor = (entry: { owner?: true }, creds: Credentials, status: number, code: string) =>
    entry.owner && creds.apiKey ? { status: 403, code: "forbidden" } : { status, code };

  it("classifies every registered route, and no route that is not registered", () => {
    const registered = routeKeys(server.app).filter((key) => !isDashboardFile(key));
    const missing = registered.filter((key) => !(key in MATRIX));
    const stale = Object.keys(MATRIX).filter((key) => !registered.includes(key));
    expect({ missing, stale }, "add every new route to MATRIX in test/isolation.test.ts, and drop removed ones").toEqual({
      missing: [],
      stale: [],
    });
    // A route with a path parameter names an object: it cannot be "the caller's own data" or public.
    const unscopedWithParams = Object.entries(MATRIX)
      .filter(([key, entry]) => key.includes("/:") && !["id", "refused", "token"].includes(entry.kind))
      .map(([key]) => key);
    expect(unscopedWithParams).toEqual([]);
  });

  it("answers 404 not_found to B for each of A's objects, on every id-scoped route, and changes nothing", async () => {
    const failures: string[] = [];
    for (const [key, entry] of Object.entries(MATRIX)) {
      if (entry.kind !== "id") continue;
      const requests = entry.requests(w);
      expect(requests.length, key).toBeGreaterThan(0);
      for (const creds of credentials()) {
        const expected = expectedFor(entry, creds, 404, "not_found");
        for (const req of requests) {
          const where = `${key} [${creds.label}] ${req.method} ${req.path} ${JSON.stringify(req.body ?? null)}`;
          const { answer, changed } = await sendAndDiff(req, creds.headers(req.method));
          if (answer.status !== expected.status || answer.body?.error?.code !== expected.code)
            failures.push(`${where}: ${answer.status} ${answer.text.slice(0, 300)}`);
          if (leaksOfA(answer.text).length) failures.push(`${where}: the answer mentions ${leaksOfA(answer.text).join(", ")}`);
          if (changed.length) failures.push(`${where}: changed ${JSON.stringify(changed).slice(0, 1000)}`);
          // Fastify answers HEAD for every GET route with the same handler: the same status.
          if (req.method === "GET") {
            const head = await sendAndDiff({ ...req, method: "HEAD" }, creds.headers("HEAD"));
            if (head.answer.status !== expected.status) failures.push(`${where} (HEAD): ${head.answer.status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("lists filtered by A's ids answer B exactly as for ids that do not exist, and change nothing", async () => {
    const failures: string[] = [];
    for (const [key, entry] of Object.entries(MATRIX)) {
      if (entry.kind !== "filter") continue;
      for (const creds of credentials()) {
        for (const { probe, control } of entry.pairs(w)) {
          const where = `${key} [${creds.label}] ${probe.path}`;
          const { answer, changed } = await sendAndDiff(probe, creds.headers(probe.method));
          const expected = await send(control, creds.headers(control.method));
          if (answer.status !== 200 || answer.status !== expected.status || answer.text !== expected.text)
            failures.push(
              `${where}: ${answer.status} ${answer.text.slice(0, 300)} vs ${expected.status} ${expected.text.slice(0, 300)}`,
            );
          if (leaksOfA(answer.text).length) failures.push(`${where}: the answer mentions ${leaksOfA(answer.text).join(", ")}`);
          if (changed.length) failures.push(`${where}: changed ${JSON.stringify(changed).slice(0, 1000)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("refuses reseller credentials on the support console and the plugin API, and changes nothing", async () => {
    const failures: string[] = [];
    for (const [key, entry] of Object.entries(MATRIX)) {
      if (entry.kind !== "refused") continue;
      for (const creds of credentials()) {
        for (const req of entry.requests(w)) {
          const where = `${key} [${creds.label}] ${req.method} ${req.path}`;
          const { answer, changed } = await sendAndDiff(req, creds.headers(req.method));
          if (![401, 403].includes(answer.status) || !["unauthorized", "forbidden"].includes(answer.body?.error?.code))
            failures.push(`${where}: ${answer.status} ${answer.text.slice(0, 300)}`);
          if (changed.length) failures.push(`${where}: changed ${JSON.stringify(changed).slice(0, 1000)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers 404 to B for an invite token that is not one, and changes nothing", async () => {
    const failures: string[] = [];
    for (const [key, entry] of Object.entries(MATRIX)) {
      if (entry.kind !== "token") continue;
      for (const creds of credentials()) {
        for (const req of entry.requests(w)) {
          const where = `${key} [${creds.label}] ${req.method} ${req.path}`;
          const { answer, changed } = await sendAndDiff(req, creds.headers(req.method));
          if (answer.status !== 404 || answer.body?.error?.code !== "not_found")
            failures.push(`${where}: ${answer.status} ${answer.text.slice(0, 300)}`);
          if (changed.length) failures.push(`${where}: changed ${JSON.stringify(changed).slice(0, 1000)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("routes without ids show B only its own data, and touch nothing of A's", async () => {
    const failures: string[] = [];
    for (const [key, entry] of Object.entries(MATRIX)) {
      if ((entry.kind !== "own" && entry.kind !== "public") || !entry.probes) continue;
      for (const creds of credentials()) {
        const refused = entry.kind === "own" && entry.owner && creds.apiKey;
        for (const req of entry.probes(w)) {
          const where = `${key} [${creds.label}] ${req.method} ${req.path}`;
          const { answer, changed } = await sendAndDiff(req, creds.headers(req.method));
          if (refused ? answer.status !== 403 || answer.body?.error?.code !== "forbidden" : answer.status >= 400)
            failures.push(`${where}: ${answer.status} ${answer.text.slice(0, 300)}`);
          if (leaksOfA(answer.text).length) failures.push(`${where}: the answer mentions ${leaksOfA(answer.text).join(", ")}`);
          const touched = leaksOfA(JSON.stringify(changed));
          if (touched.length)
            failures.push(`${where}: changed rows of A (${touched.join(", ")}): ${JSON.stringify(changed).slice(0, 1000)}`);
          if (refused && changed.length)
            failures.push(`${where}: refused, yet changed ${JSON.stringify(changed).slice(0, 1000)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("an Idempotency-Key A used is a fresh key for B: B never gets A's stored answer", async () => {
    for (const [i, creds] of credentials().entries()) {
      const key = `isolation-shared-key-${i}`;
      const body = { name: `Keyed client ${i}`, site_url: `https://keyed-${i}.alpha.example`, pool_id: w.a.pools.second };
      const request: Req = { method: "POST", path: "/api/v1/clients", body };
      const asA = await send(request, { authorization: `Bearer ${w.a.apiKey}`, "idempotency-key": key });
      expect(asA.status).toBe(201);
      const { answer, changed } = await sendAndDiff(request, { ...creds.headers("POST"), "idempotency-key": key });
      expect(answer.status, creds.label).toBe(404);
      expect(answer.text).not.toContain(asA.body.client.id);
      // B's own record of its refused request may be kept for replay; nothing else changes, and nothing of A's.
      expect(changed.filter((d) => d.table !== "idempotency_keys")).toEqual([]);
      expect(leaksOfA(JSON.stringify(changed))).toEqual([]);
      await send({ method: "DELETE", path: `/api/v1/clients/${asA.body.client.id}` }, { authorization: `Bearer ${w.a.apiKey}` });
    }
  });

  it("leaves A's world working: A still sees and uses everything B aimed at", async () => {
    const asA = client(server.url, w.a.apiKey);
    for (const id of Object.values(w.a.clients)) expect((await asA("GET", `/api/v1/clients/${id}`)).status).toBe(200);
    const pool = await asA("GET", `/api/v1/pools/${w.a.pools.first}`);
    expect(pool.body.pool.used).toBe(2);
    expect((await asA("GET", `/api/v1/clients/${w.a.clients.suspended}`)).body.client.status).toBe("suspended");
    expect((await asA("GET", `/api/v1/clients/${w.a.clients.unlicensed}`)).body.client.license).toBeNull();
    const team = await send({ method: "GET", path: "/api/v1/users" }, { cookie: w.a.session.cookie });
    expect(team.body.users.map((u: { id: string }) => u.id).sort()).toEqual(Object.values(w.a.users).sort());
  });

  // Last: these end B's own credentials. They must end nothing of A's.
  it("B rotating its key and signing out (everywhere) ends only B's credentials", async () => {
    const failures: string[] = [];
    const endings: [Req, Record<string, string>][] = [
      [{ method: "POST", path: "/api/v1/api-key/rotate" }, { authorization: `Bearer ${w.b.apiKey}` }],
      [
        { method: "POST", path: "/api/auth/logout-everywhere" },
        { cookie: w.b.session.cookie, "x-csrf-token": w.b.session.csrf },
      ],
      [{ method: "POST", path: "/api/auth/logout" }, { cookie: w.b.session.cookie }],
    ];
    for (const [req, headers] of endings) {
      const { answer, changed } = await sendAndDiff(req, headers);
      if (answer.status >= 400) failures.push(`${req.method} ${req.path}: ${answer.status} ${answer.text.slice(0, 300)}`);
      const touched = leaksOfA(JSON.stringify(changed)).concat(leaksOfA(answer.text));
      if (touched.length) failures.push(`${req.method} ${req.path}: touched A (${touched.join(", ")})`);
    }
    expect(failures).toEqual([]);
    expect((await client(server.url, w.a.apiKey)("GET", "/api/v1/me")).status).toBe(200);
    const session = await send({ method: "GET", path: "/api/auth/session" }, { cookie: w.a.session.cookie });
    expect(session.body.user?.reseller_id).toBe(w.a.resellerId);
  });
});

/** A reseller with an owner login, a staff user, a pending invite, two API keys, two pools, three clients (licensed,
 * unlicensed, suspended), a pending and a declined pool request, purchases and an audit trail. */
async function fixturesFor(server: TestServer, supportToken: string, tag: string): Promise<Fixtures> {
  const r = await makeReseller(server.db, { password: PASSWORD });
  const api = client(server.url, r.api_key);
  const ok = <T = any>(res: { status: number; body: T }, what: string): T => {
    if (res.status >= 300) throw new Error(`${tag}: ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const session = await signIn(server, r.email, PASSWORD);
  const asOwner = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
      ...(method === "GET" ? {} : { body: JSON.stringify(body ?? {}) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const buy = async (plan: string) => ok(await api("POST", "/api/v1/purchases", { plan_id: plan }), "purchase");
  const first = await buy("plan_premium_5");
  const second = await buy("plan_business_10");
  const names = [`${tag} licensed`, `${tag} unlicensed`, `${tag} suspended`].map(
    (n) => `${n} ${Math.random().toString(36).slice(2, 8)}`,
  );
  const onboard = async (name: string, host: string, poolId?: string) =>
    ok(
      await api("POST", "/api/v1/clients", {
        name,
        site_url: `https://${host}.${tag}.example`,
        ...(poolId ? { pool_id: poolId } : {}),
      }),
      "onboard",
    ).client.id as string;
  const licensed = await onboard(names[0] ?? "", "licensed", first.pool.id);
  const unlicensed = await onboard(names[1] ?? "", "unlicensed");
  const suspended = await onboard(names[2] ?? "", "suspended", first.pool.id);
  ok(await api("POST", `/api/v1/clients/${suspended}/suspend`, {}), "suspend");
  const pending = ok(
    await api("POST", "/api/v1/pool-requests", { pool_id: first.pool.id, requested_total: 8, note: `${tag} wants more` }),
    "request",
  ).pool_request.id as string;
  const declined = ok(await api("POST", "/api/v1/pool-requests", { pool_id: second.pool.id, requested_total: 20 }), "request")
    .pool_request.id as string;
  ok(
    await client(server.url, supportToken)("POST", `/api/support/v1/pool-requests/${declined}/decline`, { reason: "no" }),
    "decline",
  );
  // The team: a staff user who joined through an invite, and an invite still pending.
  const tokenOf = (answer: { invite_url: string }) => decodeURIComponent(answer.invite_url.split("/invite/")[1] ?? "");
  const joined = ok(await asOwner("POST", "/api/v1/users", { email: `staff@${tag}.example`, role: "staff" }), "invite");
  ok(
    await client(server.url)("POST", `/api/auth/invites/${encodeURIComponent(tokenOf(joined))}/accept`, {
      password: "staff-password",
    }),
    "accept",
  );
  const pendingInvite = ok(await asOwner("POST", "/api/v1/users", { email: `later@${tag}.example`, role: "viewer" }), "invite");
  const users = ok(await asOwner("GET", "/api/v1/users"), "users").users as { id: string; email: string }[];
  const secondKey = ok(await asOwner("POST", "/api/v1/api-keys", { name: `${tag} read key`, scope: "read" }), "api key").key.id;
  const keys = ok(await asOwner("GET", "/api/v1/api-keys"), "api keys").api_keys as { id: string }[];
  const activity = ok(await api("GET", "/api/v1/activity?limit=200"), "activity").activity.map((e: { id: string }) => e.id);
  return {
    resellerId: r.reseller.id,
    email: r.email,
    apiKey: r.api_key,
    pools: { first: first.pool.id, second: second.pool.id },
    clients: { licensed, unlicensed, suspended },
    names,
    poolRequests: { pending, declined },
    purchases: [first.purchase.id, second.purchase.id],
    activity,
    session,
    users: {
      owner: users.find((u) => u.email === r.email)?.id ?? "",
      staff: users.find((u) => u.email === `staff@${tag}.example`)?.id ?? "",
    },
    invite: { id: pendingInvite.invite.id, token: tokenOf(pendingInvite) },
    apiKeys: { primary: keys.find((k) => k.id !== secondKey)?.id ?? "", second: secondKey },
  };
}

async function signIn(server: TestServer, email: string, password: string) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return {
    cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "",
    csrf: ((await res.json()) as { csrf_token: string }).csrf_token,
  };
}
