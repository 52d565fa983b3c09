import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ERROR_STATUS } from "../src/contracts/errors.js";
import {
  acceptInviteBody,
  adjustPoolBody,
  allocateBody,
  checkInBody,
  createApiKeyBody,
  createClientBody,
  decideRequestBody,
  inviteBody,
  loginBody,
  poolRequestBody,
  purchaseBody,
  reissueBody,
  updateClientBody,
  updateUserBody,
} from "../src/contracts/schemas.js";
import { encodeCursor } from "../src/core/pagination.js";
import { parse } from "../src/server/validate.js";
import { openSnapshots, type Snapshots } from "./helpers/db-snapshot.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { type RawAnswer, type RawClient, type RawRequest, rawClient } from "./helpers/raw-http.js";
import { isDashboardFile, routeKeys } from "./helpers/routes.js";
import { client, makeReseller, makeSupport, startServer, type TestServer } from "./helpers/world.js";

/**
 * Hostile input, route by route: property-based (fast-check) requests against every registered route of the real app,
 * with bodies of the wrong types, missing and unknown fields, huge strings and numbers, nesting bombs, invalid UTF-8,
 * bodies over the size limit, hostile query strings and path parameters, and missing or broken credentials.
 *
 * Every answer must be below 500; every 4xx must be the API's error shape `{error: {code, message}}` with the status the
 * code stands for (contracts/errors.ts); and after every rejected request the database must be exactly as before (row
 * counts and a hash of every table, read through a second connection). Where the generator knows a request is malformed
 * (a wrong type, an unknown field, bad bytes...), the answer must be the precise 4xx (400, or 413 over the size limit),
 * never a 2xx. For bodies that may be valid, the server's own contract (the zod schema, parsed the way routes parse) says
 * whether to expect 400.
 */

const PASSWORD = "hostile-input-password";

type FieldType = "string" | "integer";
interface BodySpec {
  /** The route's contract, parsed as the route parses it: whether a generated body must be refused. Null: none to ask. */
  schema: z.ZodType | null;
  fields: Record<string, FieldType>;
  required: string[];
  /** Unknown fields are refused (every body but the plugin's check-in, which tolerates newer plugins' telemetry). */
  strict: boolean;
}
/** Who the fuzzer is: the reseller (API key or owner session, at random), its owner session only (owner-only routes,
 * which no API key may use), a support token, a client's site key, or nobody. */
type Auth = "reseller" | "owner" | "support" | "site" | "none";

interface RouteSpec {
  auth: Auth;
  /** A field list; `none`: takes no fields (an empty body or `{}` only); `ignored`: the route never reads a body. */
  body: BodySpec | "none" | "ignored";
  /** Known query parameters (GET routes). */
  query?: string[];
  /** Real objects for the path parameters, so generated bodies and queries reach the core. */
  params?: (f: Fixtures) => Record<string, string>;
  /** Other answers a request may get before its input is even read (per-route rate limits on the sign-in routes). */
  before?: number[];
  /** Tables a refused request may write: a failed sign-in is counted for the lockout. */
  writesOnReject?: string[];
  /** A request that could succeed would end the fuzzer's own credentials: only surely-malformed ones are sent. */
  destructive?: boolean;
}

interface Fixtures {
  resellerId: string;
  apiKey: string;
  session: { cookie: string; csrf: string };
  supportToken: string;
  siteKey: string;
  siteUrl: string;
  pool: string;
  otherPool: string;
  client: string;
  unlicensedClient: string;
  poolRequest: string;
  otherPoolRequest: string;
  invite: string;
  inviteToken: string;
  staffUser: string;
  spareApiKey: string;
}

const body = (schema: z.ZodType | null, fields: Record<string, FieldType>, required: string[], strict = true): BodySpec => ({
  schema,
  fields,
  required,
  strict,
});
const PAGE = ["limit", "cursor"];

const SPECS: Record<string, RouteSpec> = {
  // Reseller API
  "GET /api/v1/plans": { auth: "reseller", body: "ignored", query: [] },
  "POST /api/v1/purchases": { auth: "reseller", body: body(purchaseBody, { plan_id: "string" }, ["plan_id"]) },
  "GET /api/v1/purchases": { auth: "reseller", body: "ignored", query: PAGE },
  "GET /api/v1/pools": { auth: "reseller", body: "ignored", query: [] },
  "GET /api/v1/pools/:id": { auth: "reseller", body: "ignored", query: PAGE, params: (f) => ({ id: f.pool }) },
  "POST /api/v1/pools/:id/allocations": {
    auth: "reseller",
    body: body(allocateBody, { client_id: "string" }, ["client_id"]),
    params: (f) => ({ id: f.otherPool }),
  },
  "POST /api/v1/pool-requests": {
    auth: "reseller",
    body: body(poolRequestBody, { pool_id: "string", requested_total: "integer", note: "string" }, [
      "pool_id",
      "requested_total",
    ]),
  },
  "GET /api/v1/pool-requests": { auth: "reseller", body: "ignored", query: [...PAGE, "status"] },
  "POST /api/v1/clients": {
    auth: "reseller",
    body: body(createClientBody, { name: "string", site_url: "string", pool_id: "string" }, ["name", "site_url"]),
  },
  "GET /api/v1/clients": { auth: "reseller", body: "ignored", query: [...PAGE, "q", "status", "licensed", "pool_id"] },
  "GET /api/v1/clients/:id": { auth: "reseller", body: "ignored", query: [], params: (f) => ({ id: f.client }) },
  "PATCH /api/v1/clients/:id": {
    auth: "reseller",
    body: body(updateClientBody, { name: "string", site_url: "string" }, []),
    params: (f) => ({ id: f.unlicensedClient }),
  },
  "DELETE /api/v1/clients/:id": { auth: "reseller", body: "none", params: (f) => ({ id: f.client }) },
  "DELETE /api/v1/clients/:id/license": { auth: "reseller", body: "none", params: (f) => ({ id: f.client }) },
  "POST /api/v1/clients/:id/license/reissue": {
    auth: "reseller",
    body: body(reissueBody, { pool_id: "string" }, ["pool_id"]),
    params: (f) => ({ id: f.client }),
  },
  "POST /api/v1/clients/:id/suspend": { auth: "reseller", body: "none", params: (f) => ({ id: f.client }) },
  "POST /api/v1/clients/:id/resume": { auth: "reseller", body: "none", params: (f) => ({ id: f.client }) },
  "POST /api/v1/clients/:id/site-key": { auth: "reseller", body: "none", params: (f) => ({ id: f.client }) },
  "GET /api/v1/activity": { auth: "reseller", body: "ignored", query: [...PAGE, "client_id", "pool_id", "action"] },
  "GET /api/v1/me": { auth: "reseller", body: "ignored", query: [] },
  "POST /api/v1/api-key/rotate": { auth: "reseller", body: "none", destructive: true },
  "GET /api/v1/users": { auth: "owner", body: "ignored", query: [] },
  "POST /api/v1/users": { auth: "owner", body: body(inviteBody, { email: "string", role: "string" }, ["email", "role"]) },
  "PATCH /api/v1/users/:id": {
    auth: "owner",
    body: body(updateUserBody, { role: "string" }, ["role"]),
    params: (f) => ({ id: f.staffUser }),
  },
  "DELETE /api/v1/users/:id": { auth: "owner", body: "none", params: (f) => ({ id: f.staffUser }) },
  "GET /api/v1/invites": { auth: "owner", body: "ignored", query: [] },
  "DELETE /api/v1/invites/:id": { auth: "owner", body: "none", params: (f) => ({ id: f.invite }) },
  "GET /api/v1/api-keys": { auth: "owner", body: "ignored", query: [] },
  "POST /api/v1/api-keys": {
    auth: "owner",
    body: body(createApiKeyBody, { name: "string", scope: "string" }, ["name", "scope"]),
  },
  "POST /api/v1/api-keys/:id/rotate": { auth: "owner", body: "none", params: (f) => ({ id: f.spareApiKey }) },
  "DELETE /api/v1/api-keys/:id": { auth: "owner", body: "none", params: (f) => ({ id: f.spareApiKey }) },

  // Support console
  "GET /api/support/v1/resellers": { auth: "support", body: "ignored", query: [...PAGE, "q"] },
  "POST /api/support/v1/resellers/:id/pools": {
    auth: "support",
    // The schema lives in the route file; the generators below only send it bodies that are surely wrong, or anything.
    body: body(null, { license_type: "string", total: "integer", reason: "string" }, ["license_type", "total", "reason"]),
    params: (f) => ({ id: f.resellerId }),
  },
  "POST /api/support/v1/pools/:id/adjust": {
    auth: "support",
    body: body(adjustPoolBody, { total: "integer", reason: "string" }, ["total", "reason"]),
    params: (f) => ({ id: f.pool }),
  },
  "GET /api/support/v1/pool-requests": { auth: "support", body: "ignored", query: [...PAGE, "status"] },
  "POST /api/support/v1/pool-requests/:id/approve": {
    auth: "support",
    body: body(decideRequestBody, { reason: "string" }, []),
    params: (f) => ({ id: f.poolRequest }),
  },
  "POST /api/support/v1/pool-requests/:id/decline": {
    auth: "support",
    body: body(decideRequestBody, { reason: "string" }, []),
    params: (f) => ({ id: f.otherPoolRequest }),
  },

  // Plugin API
  "POST /api/plugin/v1/check-in": {
    auth: "site",
    body: body(checkInBody, { site_url: "string", plugin_version: "string" }, [], false),
  },
  "GET /api/plugin/v1/keys": { auth: "none", body: "ignored", query: [] },
  "GET /api/plugin/v1/signing-key": { auth: "none", body: "ignored", query: [] },

  // Sessions. Sent without a session: the fuzzer must not sign itself out. Sign-in routes are rate limited per address.
  "POST /api/auth/login": {
    auth: "none",
    body: body(loginBody, { email: "string", password: "string" }, ["email", "password"]),
    before: [429],
    writesOnReject: ["login_throttles"],
  },
  "GET /api/auth/session": { auth: "none", body: "ignored", query: [] },
  "POST /api/auth/logout": { auth: "none", body: "ignored" },
  "POST /api/auth/logout-everywhere": { auth: "none", body: "ignored", before: [401] },
  "GET /api/auth/invites/:token": {
    auth: "none",
    body: "ignored",
    query: [],
    params: (f) => ({ token: f.inviteToken }),
    before: [429],
  },
  "POST /api/auth/invites/:token/accept": {
    auth: "none",
    body: body(acceptInviteBody, { password: "string", name: "string" }, ["password"]),
    params: (f) => ({ token: f.inviteToken }),
    before: [429],
  },

  "GET /healthz": { auth: "none", body: "ignored", query: [] },
};

/**
 * Property runs per route and kind of attack on SQLite; PostgreSQL gets a fifth (the same code paths, another driver).
 * HOSTILE_SCALE multiplies them.
 */
const RUNS = { malformed: 40, anyBody: 40, query: 25, path: 25, credentials: 10 };

// ---------------------------------------------------------------------------------------------------------------------
// Generators

const HOSTILE_STRINGS = [
  "",
  " ",
  "\t\n\r",
  "\u0000",
  "a\u0000b",
  "\uFEFF",
  "\u202Eevil",
  "\uD800",
  "a\uDFFFb",
  "😀".repeat(60),
  "../../etc/passwd",
  "%00",
  "%ZZ",
  "' OR 1=1 --",
  "'; drop table clients; --",
  "<script>alert(1)</script>",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e308",
  "__proto__",
  "constructor",
  "\\",
  '"',
  "%",
  "_",
  "x".repeat(101),
  "x".repeat(1001),
];
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "binary-ascii", maxLength: 80 }),
  fc.integer({ min: 1, max: 5000 }).map((n) => "é".repeat(n)),
);
const hostileSiteUrl: fc.Arbitrary<string> = fc.oneof(
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map((host) => `https://${host}.example`),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map((path) => `https://site.example/${path}`),
  fc.constantFrom(
    "http://[::1]:99999",
    "https://[::1]/",
    "https://1.2.3.4",
    "https://localhost",
    "https://xn--",
    "https://xn--zz.example",
    "https://a..b",
    "https://-a-.example",
    `https://${"a".repeat(64)}.example`,
    `https://${"a".repeat(300)}.example`,
    `https://${"ü".repeat(200)}.de`,
    "https://ex.example:0",
    "https://ex.example:65536",
    "https://ex.example/%ZZ",
    "https://ex.example/\u0000",
    "javascript:alert(1)",
    "ftp://ex.example",
    "//ex.example",
    "https://user:pw@ex.example",
    "https://ex.example/../../..",
    "https://www.Bücher.de/",
    "https://\u202Eexample.com",
    "https://exa mple.com",
    "https://example.com\\@evil.example",
  ),
  hostileString,
);
const hostileInteger: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    2 ** 31,
    2 ** 53,
    2 ** 64,
    1e308,
    -1e308,
    1.5,
    5e-324,
    1_000_000,
    1_000_001,
    Number.MAX_SAFE_INTEGER + 2,
  ),
);
/** Anything at all, including types no field takes. */
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** A value of the wrong JSON type for a field (null is left out: optional fields may take it). */
const wrongTypeFor = (type: FieldType): fc.Arbitrary<unknown> =>
  type === "string"
    ? fc.oneof(
        hostileInteger,
        fc.boolean(),
        fc.array(hostileString, { maxLength: 3 }),
        fc.dictionary(hostileString, anyJson, { maxKeys: 3 }),
      )
    : fc.oneof(
        hostileString,
        fc.constantFrom("5", "1e3", "NaN", "Infinity", "-0"),
        fc.boolean(),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.record({ value: fc.integer() }),
        fc.constantFrom(1.5, -0.5, 1e308, -1e308, 2 ** 64, 1_000_001, 5e-324),
      );
/** A value of the right type, hostile in content, for bodies that may or may not be valid. */
const valueFor = (name: string, type: FieldType): fc.Arbitrary<unknown> => {
  if (type === "integer") return hostileInteger;
  if (name === "site_url") return hostileSiteUrl;
  if (name === "role") return fc.oneof(fc.constantFrom("owner", "staff", "viewer", "admin", "OWNER", " staff"), hostileString);
  if (name === "scope") return fc.oneof(fc.constantFrom("read", "read_write", "write", "READ"), hostileString);
  if (name === "email") return fc.oneof(fc.emailAddress(), hostileString);
  return hostileString;
};

const unknownId = (prefix: string) => `${prefix}_01aaaaaaaaaaaaaaaaaaaaaaaa`;
/** A plausible, valid body (real ids where a field names one): the base the malformed variants are cut from. */
function plausibleBody(spec: BodySpec, f: Fixtures): Record<string, unknown> {
  const plausible: Record<string, unknown> = {
    plan_id: "plan_premium_5",
    client_id: f.unlicensedClient,
    pool_id: f.otherPool,
    requested_total: 7,
    note: "more please",
    name: "Plausible",
    site_url: "https://plausible.example",
    total: 9,
    reason: "because",
    license_type: "premium",
    email: "someone@example.com",
    password: "a-long-enough-password",
    role: "viewer",
    scope: "read",
    plugin_version: "1.2.3",
  };
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(spec.fields))
    out[field] = field === "site_url" && spec.strict === false ? f.siteUrl : plausible[field];
  return out;
}

interface HostileBody {
  label: string;
  bytes?: Buffer;
  contentType?: string;
  chunked?: boolean;
  /** The statuses a surely-malformed body may get; undefined: may be valid (ask the contract). */
  expect?: number[];
  /** The parsed value, when the body is JSON (for the contract). */
  value?: unknown;
}

/** Counterexamples print as their label and size, not as 100 KB of bytes. */
const printable = (b: HostileBody): HostileBody =>
  Object.assign(b, {
    [fc.toStringMethod]: () =>
      `${b.label} (${b.bytes?.length ?? 0} bytes${b.contentType === undefined ? "" : `, ${JSON.stringify(b.contentType)}`}${b.chunked ? ", chunked" : ""}): ${b.bytes?.subarray(0, 120).toString("utf8") ?? ""}`,
  });
const json = (value: unknown, label: string, expect?: number[]): HostileBody =>
  printable({
    label,
    bytes: Buffer.from(JSON.stringify(value)),
    contentType: "application/json",
    value,
    ...(expect ? { expect } : {}),
  });
const rawJson = (text: string | Buffer, label: string, expect: number[], contentType = "application/json"): HostileBody =>
  printable({ label, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text), contentType, expect });

const BAD_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
];
const BROKEN_JSON = [
  "{",
  '{"a":',
  "{'a': 1}",
  '{"a": 1,}',
  "[1, 2",
  '{"a": NaN}',
  '{"a": Infinity}',
  "{a: 1}",
  '{"a": 1} {"b": 2}',
  "/* */ {}",
  '{"a": "\\x41"}',
  '{"a": 01}',
  '"unterminated',
  "nul\u0000l",
  '{"a": 0x10}',
];

/** Bodies the route must refuse whatever else the request says: 400 (or 413 over the size limit). */
function malformedBodies(route: RouteSpec, f: Fixtures, bodyLimit: number): fc.Arbitrary<HostileBody> {
  // Wrong at the transport level: every route that reads a body refuses these before any handler runs.
  const transport: fc.Arbitrary<HostileBody>[] = [
    fc.constantFrom(...BROKEN_JSON).map((t) => rawJson(t, `broken JSON ${JSON.stringify(t)}`, [400])),
    fc
      .tuple(fc.constantFrom(...BAD_UTF8), hostileString)
      .map(([bytes, s]) =>
        rawJson(
          Buffer.concat([Buffer.from(`{"name": "${JSON.stringify(s).slice(1, -1)}`), Buffer.from(bytes), Buffer.from('"}')]),
          `invalid UTF-8 ${Buffer.from(bytes).toString("hex")}`,
          [400],
        ),
      ),
    fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.boolean()).map(([extra, chunked]) =>
      printable({
        ...rawJson(`{"name": "${"x".repeat(bodyLimit + extra)}"}`, `over the ${bodyLimit}-byte limit by ${extra}`, [413]),
        chunked,
      }),
    ),
    // Content types the API has no parser for (text/plain has Fastify's, and then the schema refuses a bare string).
    fc
      .constantFrom(
        ...(route.body === "ignored" ? [] : ["text/plain"]),
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "",
      )
      .map((type) => rawJson('{"a": 1}', `content-type ${JSON.stringify(type)}`, [400], type)),
  ];
  if (route.body === "ignored") return fc.oneof(...transport);
  const spec: BodySpec = route.body === "none" ? { schema: null, fields: {}, required: [], strict: true } : route.body;
  const base = plausibleBody(spec, f);
  const fieldNames = Object.keys(spec.fields);
  // Around the parser's depth limit, and far past it.
  const depth = fc.oneof(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 1000, max: 10_000 }));
  const structural: fc.Arbitrary<HostileBody>[] = [
    // Not an object at all.
    fc
      .oneof(hostileString, hostileInteger, fc.constant(true), fc.constant(false), fc.array(anyJson, { maxLength: 4 }))
      .map((v) => json(v, "not an object", [400])),
    // Nesting bombs, sent as text: arrays or objects thousands deep.
    depth.map((n) => rawJson(`${"[".repeat(n)}${"]".repeat(n)}`, `array nested ${n} deep`, [400])),
    fc
      .tuple(depth, fc.constantFrom(...(fieldNames.length ? fieldNames : ["x"])))
      .map(([n, field]) => rawJson(`{"${field}": ${"[".repeat(n)}${"]".repeat(n)}}`, `${field} nested ${n} deep`, [400])),
  ];
  if (spec.strict) {
    structural.push(
      fc
        .tuple(depth, fc.constantFrom("a", "__proto__", "constructor"))
        .map(([n, key]) => rawJson(`${`{"${key}":`.repeat(n)}1${"}".repeat(n)}`, `object nested ${n} deep under ${key}`, [400])),
      // An unknown field, alongside valid ones.
      fc
        .tuple(
          fc.oneof(
            fc.constantFrom(
              "__proto__",
              "constructor",
              "prototype",
              "toString",
              "hasOwnProperty",
              "poolid",
              "id",
              "reseller_id",
              "",
            ),
            hostileString,
          ),
          anyJson,
        )
        .filter(([key]) => !(key in spec.fields))
        .map(([key, value]) => {
          // Written as text, so the key (`__proto__` included) goes out exactly as generated, after the valid fields.
          const text = `${JSON.stringify(base).slice(0, -1)}${fieldNames.length ? "," : ""}${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}}`;
          return rawJson(text, `unknown field ${JSON.stringify(key)}`, [400]);
        }),
    );
  }
  if (fieldNames.length) {
    structural.push(
      // One field of the wrong type.
      fc
        .constantFrom(...fieldNames)
        .chain((field) => wrongTypeFor(spec.fields[field] ?? "string").map((v) => ({ field, v })))
        .map(({ field, v }) => json({ ...base, [field]: v }, `${field} of the wrong type`, [400])),
      // Numbers JSON can spell but no field takes (raw text: -0, 1e999 is Infinity, 2**64 loses precision).
      fc
        .tuple(
          fc.constantFrom(...fieldNames),
          fc.constantFrom("1e999", "-1e999", "18446744073709551616", "1.5", "1e308", "-1", "2.0000000000000001"),
        )
        .filter(([field, token]) => spec.fields[field] === "string" || !["-1", "2.0000000000000001"].includes(token))
        .map(([field, token]) =>
          rawJson(`${JSON.stringify({ ...base, [field]: "@@" })}`.replace('"@@"', token), `${field} = ${token}`, [400]),
        ),
      // A string far over any field's limit (each is at most 1000 characters), within or beyond the body limit.
      fc
        .tuple(
          fc.constantFrom(
            ...fieldNames.filter((n) => spec.fields[n] === "string"),
            ...(fieldNames.some((n) => spec.fields[n] === "string") ? [] : [fieldNames[0] ?? "x"]),
          ),
          fc.integer({ min: 1001, max: 100_000 }),
        )
        .map(([field, n]) =>
          json({ ...base, [field]: "y".repeat(n) }, `${field} of ${n} characters`, n + 200 > bodyLimit ? [400, 413] : [400]),
        ),
    );
    if (spec.required.length)
      structural.push(
        fc.constantFrom(...spec.required).map((field) => {
          const { [field]: _dropped, ...rest } = base;
          return json(rest, `without ${field}`, [400]);
        }),
      );
  }
  return fc.oneof(...transport, ...structural);
}

/** Bodies that may be valid or not: right field names, hostile contents, now and then an unknown field. */
function anyBodies(spec: BodySpec): fc.Arbitrary<HostileBody> {
  const fields = Object.fromEntries(Object.entries(spec.fields).map(([name, type]) => [name, valueFor(name, type)]));
  return fc
    .record(fields, { requiredKeys: [] })
    .chain((value) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(value) },
        { weight: 1, arbitrary: fc.tuple(hostileString, anyJson).map(([k, v]) => ({ ...value, [k]: v })) },
      ),
    )
    .map((value) => json(value, "any body"));
}

/** Hostile query strings: repeated and array-style parameters, unknown ones, huge values, bad cursors, broken escapes. */
function hostileQueries(known: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    fc.constantFrom(
      ...known,
      ...known.map((k) => `${k}[]`),
      ...known.map((k) => `${k}[0]`),
      "__proto__",
      "constructor",
      "a[b][c]",
      "",
    ),
    hostileString,
  );
  const cursor = fc.oneof(
    fc.constantFrom("cli", "pool", "act", "pur", "preq", "res").map((p) => encodeCursor(unknownId(p))),
    hostileString.map((s) => Buffer.from(s).toString("base64url")),
    fc.constantFrom("=", "==", "garbage", "%", "AAAA".repeat(100)),
  );
  const value = fc.oneof(
    hostileString,
    cursor,
    fc.constantFrom(
      "-1",
      "0",
      "1",
      "200",
      "201",
      "1e308",
      "NaN",
      "Infinity",
      "0x10",
      " 5",
      "5 ",
      "٣",
      "true",
      "false",
      "pending",
      "active",
    ),
    fc.integer({ min: 1000, max: 12_000 }).map((n) => "q".repeat(n)),
  );
  const encode = fc.constantFrom("component", "raw-escapes", "plus");
  const pair = fc.tuple(key, value, encode).map(([k, v, how]) => {
    if (how === "raw-escapes")
      return `${pctAscii(k)}=${pctAscii(v)}${["%", "%Z", "%FF", "%C3%28", "%00", "%E2%82"][v.length % 6]}`;
    if (how === "plus") return `${safeEncode(k).replace(/%20/g, "+")}=${safeEncode(v).replace(/%20/g, "+")}`;
    return `${safeEncode(k)}=${safeEncode(v)}`;
  });
  return fc
    .tuple(fc.array(pair, { maxLength: 6 }), fc.constantFrom("", "&", "&&", "&=", "&k", "=v"))
    .map(([pairs, tail]) => `?${pairs.join("&")}${tail}`);
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes out as broken bytes on purpose. */
function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return pctAscii(s);
  }
}
/** Printable ASCII kept (all but the characters that would end or split the URL), everything else as %XX of its UTF-8. */
function pctAscii(s: string): string {
  return [...Buffer.from(s, "utf8")]
    .map((b) =>
      b > 0x20 && b < 0x7f && !"#?%&=+/ ".includes(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, "0").toUpperCase()}`,
    )
    .join("");
}

/** Path parameters that name nothing: huge, unicode, NUL, dot segments, broken or double escapes, other ids. */
const hostileParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "%20",
    ".",
    "..",
    "%2e%2e",
    "..%2f..%2fetc%2fpasswd",
    "..%252f",
    "%00",
    "a%00b",
    "%",
    "%ZZ",
    "%FF",
    "%C3%28",
    "%ED%A0%80",
    "%F4%90%80%80",
    "%E2%82",
    "%2F",
    "a%2Fb",
    "%3F",
    "%23",
    ";",
    "*",
    ":id",
    "null",
    "undefined",
    "0",
    "-1",
    "1e308",
    "__proto__",
    "constructor",
    "+",
    "~",
    "CLI_01AAAAAAAAAAAAAAAAAAAAAAAA",
  ),
  fc.constantFrom("cli", "pool", "preq", "res", "usr", "inv", "key", "act").map(unknownId),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map(safeEncode),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }).map(safeEncode),
  fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 40 }).map(pctAscii),
  fc.integer({ min: 90, max: 700 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 1, max: 200 }).map((n) => "%F0%9F%98%80".repeat(n)),
);

const brokenAuthorization = fc.oneof(
  fc.constantFrom(
    "Bearer",
    "Bearer ",
    "Basic dXNlcjpwYXNzd29yZA==",
    "Token abc",
    "Bearer a b",
    "bearer\tlp_live_nothing",
    "Bearer lp_live_",
    "Bearer lp_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "Bearer lp_sup_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "Bearer lp_site_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "Bearer %00",
  ),
  fc.integer({ min: 100, max: 8000 }).map((n) => `Bearer ${"k".repeat(n)}`),
  fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 60 }).map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, "x")}`),
);
const brokenCookie = fc.oneof(
  fc.constantFrom(
    "lp_session=",
    "lp_session=junk",
    "lp_session=%FF",
    "lp_session=a; lp_session=b",
    'lp_session="quoted"',
    "other=1",
  ),
  fc.integer({ min: 100, max: 8000 }).map((n) => `lp_session=${"s".repeat(n)}`),
);

/**
 * Sometimes an Idempotency-Key (reseller writes): a few well-formed keys shared by all runs (so keys get reused across
 * bodies and routes), or a malformed one (too long, empty, not printable ASCII), which must be refused with 400.
 */
function idempotencyKeys(route: RouteSpec): fc.Arbitrary<{ value: string; valid: boolean } | undefined> {
  if (route.auth !== "reseller" && route.auth !== "owner") return fc.constant(undefined);
  return fc.option(
    fc.oneof(
      {
        weight: 1,
        arbitrary: fc
          .constantFrom("key-1", "key-2", "00000000-0000-4000-8000-000000000000")
          .map((value) => ({ value, valid: true })),
      },
      { weight: 3, arbitrary: fc.uuid().map((value) => ({ value, valid: true })) },
      {
        weight: 1,
        arbitrary: fc
          .oneof(
            fc.constantFrom("", " ", "\t", "é", "ÿÿÿ", "a\u00a0b"),
            fc.integer({ min: 256, max: 6000 }).map((n) => "i".repeat(n)),
          )
          .map((value) => ({ value, valid: false })),
      },
    ),
    { nil: undefined, freq: 2 },
  );
}

/** HOSTILE_STATS=1 prints how often each route gave each answer: to see that the generators reach past auth and parsing. */
const stats: string[] = [];

// ---------------------------------------------------------------------------------------------------------------------

describe.each(await dialectsUnderTest())("hostile input on every route (%s)", (dialect) => {
  // HOSTILE_SCALE=10 for a longer hunt than CI's.
  const scale = (dialect === "sqlite" ? 1 : 0.2) * Number(process.env.HOSTILE_SCALE ?? 1);
  const runs = (n: number) => Math.max(3, Math.round(n * scale));
  let server: TestServer;
  let snaps: Snapshots;
  let http: RawClient;
  let f: Fixtures;
  let bodyLimit: number;
  let registered: string[];

  beforeAll(async () => {
    // Check-ins are rate limited per key and per address; the fuzzer sends hundreds from one of each.
    server = await startServer(dialect, { checkIn: { perSiteKeyPerMinute: 1_000_000, perIpPerMinute: 1_000_000 } });
    snaps = openSnapshots(server.databaseUrl);
    http = rawClient(server.url);
    bodyLimit = server.app.initialConfig.bodyLimit ?? 1024 * 1024;
    registered = routeKeys(server.app).filter((key) => !isDashboardFile(key));
    f = await fixtures(server);
  });
  afterAll(async () => {
    if (process.env.HOSTILE_STATS) {
      const counts = new Map<string, number>();
      for (const line of stats) counts.set(line, (counts.get(line) ?? 0) + 1);
      console.log(
        [...counts]
          .sort()
          .map(([l, n]) => `${n}\t${l}`)
          .join("\n"),
      );
    }
    http?.close();
    await snaps?.close();
    await server?.close();
  });

  it("has a hostile-input spec for every registered route, and none for a route that is not registered", () => {
    const missing = registered.filter((key) => !(key in SPECS));
    const stale = Object.keys(SPECS).filter((key) => !registered.includes(key));
    expect({ missing, stale }, "add every new route to SPECS in test/hostile-input.test.ts").toEqual({ missing: [], stale: [] });
  });

  /** The database (check-ins written through first), minus tables a refused request of this route may write. */
  async function dbState(route: RouteSpec, req: RawRequest): Promise<string> {
    await server.app.licensing.flushCheckIns();
    // With an Idempotency-Key the answer, refusals included, is recorded for replay: that record is all it may write.
    const idempotent = req.headers?.["idempotency-key"] !== undefined;
    return snaps.checksum([...(route.writesOnReject ?? []), ...(idempotent ? ["idempotency_keys"] : [])]);
  }

  function credentials(route: RouteSpec, write: boolean, useSession: boolean): Record<string, string> {
    const sessionHeaders = { cookie: f.session.cookie, ...(write ? { "x-csrf-token": f.session.csrf } : {}) };
    switch (route.auth) {
      case "reseller":
        return useSession ? sessionHeaders : { authorization: `Bearer ${f.apiKey}` };
      case "owner":
        return sessionHeaders;
      case "support":
        return { authorization: `Bearer ${f.supportToken}` };
      case "site":
        return { authorization: `Bearer ${f.siteKey}` };
      case "none":
        return {};
    }
  }

  /** Sends one request and checks the rules every answer obeys; returns the answer for the caller's own checks. */
  async function attempt(
    key: string,
    route: RouteSpec,
    req: RawRequest,
    expected: number[] | null,
    label: string,
  ): Promise<RawAnswer> {
    const before = await dbState(route, req);
    const answer = await http.send(req);
    const after = await dbState(route, req);
    if (process.env.HOSTILE_STATS) stats.push(`${key} | ${label.replace(/[0-9]+/g, "N").slice(0, 40)} | ${answer.status}`);
    // A read never writes, whatever it answers (the last-use stamps of keys and sessions aside, see db-snapshot.ts).
    if (req.method === "GET") expect(after, `${key} — ${label}: a read changed the database`).toBe(before);
    const where = `${key} — ${label}: ${req.method} ${req.path.slice(0, 200)} -> ${answer.status} ${answer.text.slice(0, 300)}`;
    expect(answer.status, where).toBeLessThan(500);
    if (answer.status >= 400) {
      let parsed: any = null;
      try {
        parsed = JSON.parse(answer.text);
      } catch {}
      expect(parsed?.error, `${where}: not the API's error shape`).toMatchObject({
        code: expect.any(String),
        message: expect.any(String),
      });
      expect(ERROR_STATUS[parsed.error.code as keyof typeof ERROR_STATUS], `${where}: status vs code`).toBe(answer.status);
      expect(after, `${where}: a refused request changed the database`).toBe(before);
    }
    if (expected) expect(expected, where).toContain(answer.status);
    return answer;
  }

  const pathOf = (key: string) => key.slice(key.indexOf(" ") + 1);
  const methodOf = (key: string) => key.slice(0, key.indexOf(" "));
  const fill = (pattern: string, params: Record<string, string>, encode = true) =>
    pattern.replace(/:([A-Za-z_]+)/g, (_m, name: string) =>
      encode ? encodeURIComponent(params[name] ?? "") : (params[name] ?? ""),
    );
  /** Well-formed values for every path parameter that name nothing (so a body that happens to be valid still changes nothing). */
  const nowhere = (pattern: string) =>
    Object.fromEntries(
      [...pattern.matchAll(/:([A-Za-z_]+)/g)].map(([, name]) => [
        name ?? "",
        name === "token" ? "lp_inv_nothing" : unknownId("x"),
      ]),
    );

  for (const key of Object.keys(SPECS)) {
    const route = SPECS[key] as RouteSpec;
    const method = methodOf(key);
    const write = !["GET", "HEAD"].includes(method);

    it(`${key}: hostile bodies, queries, path parameters and credentials answer 4xx in the error shape and change nothing`, async () => {
      if (!registered.includes(key)) return; // reported by the coverage test
      const before = route.before ?? [];
      const withBody = (b: HostileBody | undefined, base: RawRequest): RawRequest => ({
        ...base,
        headers: { ...base.headers, ...(b?.contentType ? { "content-type": b.contentType } : {}) },
        ...(b?.bytes ? { body: b.bytes } : {}),
        ...(b?.chunked ? { chunked: true } : {}),
      });

      if (write) {
        // Surely malformed bodies, aimed at ids that exist nowhere: exactly 400 (413 over the limit), nothing changed.
        await fc.assert(
          fc.asyncProperty(
            malformedBodies(route, f, bodyLimit),
            fc.boolean(),
            idempotencyKeys(route),
            async (b, useSession, idem) => {
              const headers = {
                ...credentials(route, true, useSession),
                ...(idem === undefined ? {} : { "idempotency-key": idem.value }),
              };
              const req = withBody(b, { method, path: fill(pathOf(key), nowhere(pathOf(key))), headers });
              // Whatever else is wrong with it, a body over the limit is refused for its size first.
              const expected = (b.bytes?.length ?? 0) > bodyLimit ? [413] : (b.expect ?? []);
              // A well-formed key used before for another request is refused (422) before the body is looked at.
              await attempt(key, route, req, [...expected, ...before, ...(idem?.valid ? [422] : [])], b.label);
            },
          ),
          { numRuns: runs(RUNS.malformed) },
        );
      }

      if (typeof route.body === "object" && !route.destructive) {
        // Bodies that may be valid, at real objects: never 5xx; refused ones (by the contract: 400) change nothing.
        const spec = route.body;
        await fc.assert(
          fc.asyncProperty(anyBodies(spec), fc.boolean(), idempotencyKeys(route), async (b, useSession, idem) => {
            const params = route.params ? route.params(f) : {};
            const headers = {
              ...credentials(route, true, useSession),
              ...(idem === undefined ? {} : { "idempotency-key": idem.value }),
            };
            const req = withBody(b, { method, path: fill(pathOf(key), params), headers });
            let expected: number[] | null = idem?.valid === false ? [400] : null;
            if (spec.schema) {
              let valid = true;
              try {
                parse(spec.schema, b.value);
              } catch {
                valid = false;
              }
              if (!valid) expected = [400, ...before];
              // A reused key answers 422 before the body is looked at, or replays the first answer.
              if (idem?.valid) expected = null;
            }
            await attempt(key, route, req, expected, `${b.label} ${JSON.stringify(b.value).slice(0, 200)}`);
          }),
          { numRuns: runs(RUNS.anyBody) },
        );
      }

      if (!write && route.query) {
        // Hostile query strings on reads: never 5xx, never a change.
        const query = route.query;
        await fc.assert(
          fc.asyncProperty(hostileQueries(query), fc.boolean(), async (qs, useSession) => {
            const params = route.params ? route.params(f) : {};
            const req: RawRequest = {
              method,
              path: `${fill(pathOf(key), params)}${qs}`,
              headers: credentials(route, false, useSession),
            };
            await attempt(key, route, req, null, "hostile query");
          }),
          { numRuns: runs(RUNS.query) },
        );
      }

      if (pathOf(key).includes("/:")) {
        // Hostile path parameters: they name nothing, so always a 4xx, and nothing changes.
        const names = [...pathOf(key).matchAll(/:([A-Za-z_]+)/g)].map(([, name]) => name ?? "");
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...names), hostileParam, fc.boolean(), async (name, value, useSession) => {
            const params = { ...(route.params ? route.params(f) : {}), [name]: value };
            const encoded = Object.fromEntries(
              Object.entries(params).map(([k, v]) => [k, k === name ? v : encodeURIComponent(v)]),
            );
            const base =
              route.body === "none" || route.body === "ignored" || !write
                ? undefined
                : json(plausibleBody(route.body, f), "plausible");
            const req = withBody(base, {
              method,
              path: fill(pathOf(key), encoded, false),
              headers: credentials(route, write, useSession),
            });
            const answer = await attempt(
              key,
              route,
              req,
              null,
              `path parameter ${name} = ${JSON.stringify(value).slice(0, 100)}`,
            );
            expect(answer.status, `${key} with ${name} = ${value.slice(0, 100)}`).toBeGreaterThanOrEqual(400);
          }),
          { numRuns: runs(RUNS.path) },
        );
      }

      if (route.auth !== "none") {
        // Missing or broken credentials: 401 before anything is read. A session cookie without the CSRF token: 403.
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.constant({}),
              brokenAuthorization.map((authorization) => ({ authorization })),
              brokenCookie.map((cookie) => ({ cookie })),
            ),
            fc.option(malformedBodies(route, f, bodyLimit), { nil: undefined }),
            async (headers, b) => {
              const req = withBody(write ? b : undefined, {
                method,
                path: fill(pathOf(key), route.params ? route.params(f) : nowhere(pathOf(key))),
                headers,
              });
              // The plugin API reads the site key in its handler, after the body is parsed: a bad body may answer first.
              const expected = route.auth === "site" ? [401, 413, ...(b?.expect ?? [])] : [401];
              await attempt(key, route, req, expected, `credentials ${JSON.stringify(headers).slice(0, 100)}`);
            },
          ),
          { numRuns: runs(RUNS.credentials) },
        );
        if (write && (route.auth === "reseller" || route.auth === "owner")) {
          const req = {
            method,
            path: fill(pathOf(key), route.params ? route.params(f) : nowhere(pathOf(key))),
            headers: { cookie: f.session.cookie },
          };
          const answer = await attempt(key, route, req, [403], "session cookie without X-CSRF-Token");
          expect(JSON.parse(answer.text).error.code).toBe("csrf_failed");
        }
      }
    });
  }
});

/** The fuzzer's reseller (owner login, API key, pools, clients, requests, an invite, a staff user, a spare key). */
async function fixtures(server: TestServer): Promise<Fixtures> {
  const support = await makeSupport(server.db);
  const r = await makeReseller(server.db, { password: PASSWORD });
  const api = client(server.url, r.api_key);
  const ok = <T = any>(res: { status: number; body: T }, what: string): T => {
    if (res.status >= 300) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: r.email, password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const session = {
    cookie: (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "",
    csrf: ((await login.json()) as { csrf_token: string }).csrf_token,
  };
  const asOwner = async (method: string, path: string, payload?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
      ...(method === "GET" ? {} : { body: JSON.stringify(payload ?? {}) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  const pool = ok(await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_100" }), "purchase").pool.id;
  const otherPool = ok(await api("POST", "/api/v1/purchases", { plan_id: "plan_business_10" }), "purchase").pool.id;
  const siteUrl = "https://fuzz-licensed.example";
  const licensed = ok(
    await api("POST", "/api/v1/clients", { name: "Fuzz licensed", site_url: siteUrl, pool_id: pool }),
    "onboard",
  );
  const unlicensed = ok(
    await api("POST", "/api/v1/clients", { name: "Fuzz unlicensed", site_url: "https://fuzz-free.example" }),
    "onboard",
  );
  const request = (total: number) =>
    api("POST", "/api/v1/pool-requests", { pool_id: pool, requested_total: total, note: "fuzz" }).then(
      (res) => ok(res, "pool request").pool_request.id,
    );
  const poolRequest = await request(150);
  const otherPoolRequest = await request(160);

  const invited = ok(await asOwner("POST", "/api/v1/users", { email: "invited@fuzz.example", role: "staff" }), "invite");
  const inviteToken = decodeURIComponent(String(invited.invite_url).split("/invite/")[1] ?? "");
  const joining = ok(await asOwner("POST", "/api/v1/users", { email: "staff@fuzz.example", role: "staff" }), "invite");
  const joinToken = decodeURIComponent(String(joining.invite_url).split("/invite/")[1] ?? "");
  ok(
    await client(server.url)("POST", `/api/auth/invites/${encodeURIComponent(joinToken)}/accept`, {
      password: "staff-password-1",
    }),
    "accept",
  );
  const users = ok(await asOwner("GET", "/api/v1/users"), "users").users as { id: string; email: string }[];
  const spare = ok(await asOwner("POST", "/api/v1/api-keys", { name: "spare", scope: "read" }), "api key");
  return {
    resellerId: r.reseller.id,
    apiKey: r.api_key,
    session,
    supportToken: support.token,
    siteKey: licensed.site_key,
    siteUrl,
    pool,
    otherPool,
    client: licensed.client.id,
    unlicensedClient: unlicensed.client.id,
    poolRequest,
    otherPoolRequest,
    invite: invited.invite.id,
    inviteToken,
    staffUser: users.find((u) => u.email === "staff@fuzz.example")?.id ?? "",
    spareApiKey: spare.key.id,
  };
}
