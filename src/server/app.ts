import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { ErrorBody } from "../contracts/errors.js";
import { type AccessSettings, accessSettingsFromEnv } from "../core/access-settings.js";
import { AppError } from "../core/app-error.js";
import { type CheckInSettings, checkInSettingsFromEnv } from "../core/check-in-settings.js";
import type { IdempotencySettings } from "../core/idempotency.js";
import { LastSeenRecorder } from "../core/last-seen-recorder.js";
import { openKeyRing } from "../core/signing.js";
import type { Db } from "../db/schema.js";
import type { Deps } from "./deps.js";
import { apiRateLimitFromEnv, registerApiRateLimit } from "./plugins/api-rate-limit.js";
import { resellerAuth, supportAuth } from "./plugins/auth.js";
import { registerErrorHandling } from "./plugins/errors.js";
import { registerIdempotency } from "./plugins/idempotency.js";
import { registerSecurityHeaders } from "./plugins/security-headers.js";
import { recordRoutes } from "./route-list.js";
import { accountRoutes } from "./routes/account.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { catalogRoutes } from "./routes/catalog.js";
import { clientRoutes } from "./routes/clients.js";
import { pluginRoutes } from "./routes/plugin.js";
import { poolRoutes } from "./routes/pools.js";
import { sessionRoutes } from "./routes/session.js";
import { supportRoutes } from "./routes/support.js";
import { teamRoutes } from "./routes/team.js";
import { MAX_BODY_DEPTH, nestedDeeperThan } from "./validate.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Hooks for operators and tests: write batched check-ins now, re-read signing keys now (both happen on timers too). */
    licensing: { flushCheckIns(): Promise<void>; refreshKeys(): Promise<void> };
  }
}

export interface AppOptions {
  db: Db;
  logger?: boolean;
  /** Folder of the built dashboard; defaults to dist/web next to the package. */
  webRoot?: string;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and mark cookies Secure. */
  trustProxy?: boolean;
  /** Overrides of the check-in settings read from the environment (tests use a short grace window). */
  checkIn?: Partial<CheckInSettings>;
  /** Overrides of the session, sign-in lockout and invite settings read from the environment (tests use short ones). */
  access?: Partial<AccessSettings>;
  /** Reseller-API requests per credential per minute; defaults to API_RATE_LIMIT from the environment (1200). */
  apiRateLimitPerMinute?: number;
  /** Overrides of the Idempotency-Key timings (tests use a short wait). */
  idempotency?: Partial<IdempotencySettings>;
}

/** The package root, found by walking up to package.json: the same answer from src/ (tsx) and from dist/ (built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const defaultWebRoot = join(packageRoot(), "dist/web");

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Trust exactly one proxy hop: the client address is the one our proxy saw, not whatever the client put in
    // X-Forwarded-For (which would let anyone dodge the sign-in rate limit).
    trustProxy: opts.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    bodyLimit: 64 * 1024,
    // A request has 30 s to arrive whole (Node's default is 5 minutes): long enough for any real client.
    requestTimeout: 30_000,
    // A request that reaches a kept-alive connection while the server is stopping is served like one in flight (and
    // answered with `Connection: close`, see the drain hooks below), not refused with Fastify's own 503 body, which is
    // not the API's error shape. New connections are refused from the moment stopping begins.
    return503OnClosing: false,
    // Long enough that ids fail our own validation (max 100) with a named field instead of the router's 414.
    routerOptions: { maxParamLength: 500 },
    // Bad URLs (broken percent-encoding, over-long params) answer in the API's error shape too.
    // Requests Node's HTTP parser refuses (raw non-ASCII in the URL, broken headers) get the API's error shape as well.
    clientErrorHandler: (_err, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify({
        error: {
          code: "validation_error",
          message: "url: the request is malformed; percent-encode non-ASCII characters",
          details: { field: "url" },
        },
      } satisfies ErrorBody);
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    frameworkErrors: (err, _req, reply: FastifyReply) => {
      reply.status(400).send({
        error: { code: "validation_error", message: `url: ${err.message}`, details: { field: "url" } },
      } satisfies ErrorBody);
    },
  });
  const checkIn = { ...checkInSettingsFromEnv(), ...opts.checkIn };
  const deps: Deps = {
    db: opts.db,
    // A superseded key stays listed for one grace window (plus an hour for servers still refreshing) after rotation.
    keys: await openKeyRing(opts.db, { listedForS: checkIn.graceS + 3600 }),
    lastSeen: new LastSeenRecorder(opts.db, checkIn.flushMs, (err) => app.log.warn({ err }, "last-seen flush failed")),
    checkIn,
    secureCookies: opts.trustProxy ?? false,
    access: { ...accessSettingsFromEnv(), ...opts.access },
  };
  app.decorate("licensing", { flushCheckIns: () => deps.lastSeen.flush(), refreshKeys: () => deps.keys.refresh() });
  // On close (SIGTERM, tests), after in-flight requests finish: write the last batch of check-ins, stop the timers.
  app.addHook("onClose", async () => {
    await deps.lastSeen.close();
    deps.keys.close();
  });
  // While closing, answers to requests still in flight say `Connection: close`: a keep-alive client then lets go at
  // once, instead of its idle connection holding the shutdown open for the keep-alive timeout (72 s).
  let draining = false;
  app.addHook("preClose", async () => {
    draining = true;
  });
  // Callback style, not async: it runs on every answer, check-ins included, and a promise per answer is not free.
  app.addHook("onSend", (_req, reply, payload, done) => {
    if (draining) reply.header("connection", "close");
    done(null, payload);
  });

  recordRoutes(app);
  registerErrorHandling(app);
  await app.register(cookie);
  registerSecurityHeaders(app);
  await app.register(rateLimit, { global: false });

  // An empty JSON body means "no fields" (curl -X POST -H 'content-type: application/json'), not a parse error.
  app.removeContentTypeParser("application/json");
  // Decoded strictly: bytes that are not UTF-8 are refused, never stored as U+FFFD replacement characters.
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new AppError("validation_error", "body: is not valid UTF-8", { field: "body" }), undefined);
    }
    if (text.trim() === "") return done(null, undefined);
    // No request nests deeper than a few levels; a nesting bomb would only strain whatever walks the body next.
    if (nestedDeeperThan(text, MAX_BODY_DEPTH))
      return done(
        new AppError("validation_error", `body: is nested more than ${MAX_BODY_DEPTH} levels deep`, { field: "body" }),
        undefined,
      );
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError("validation_error", "body: is not valid JSON", { field: "body" }), undefined);
    }
  });

  app.get("/healthz", async () => ({ ok: true }));

  await app.register(
    async (api) => {
      authenticate(api, resellerAuth(deps.db, deps.access));
      registerApiRateLimit(api, opts.apiRateLimitPerMinute ?? apiRateLimitFromEnv());
      registerIdempotency(api, deps.db, opts.idempotency);
      catalogRoutes(api, deps);
      poolRoutes(api, deps);
      clientRoutes(api, deps);
      accountRoutes(api, deps);
      teamRoutes(api, deps);
      apiKeyRoutes(api, deps);
    },
    { prefix: "/api/v1" },
  );
  await app.register(
    async (api) => {
      authenticate(api, supportAuth(deps.db, deps.access));
      supportRoutes(api, deps);
    },
    { prefix: "/api/support/v1" },
  );
  await app.register(async (api) => pluginRoutes(api, deps), { prefix: "/api/plugin/v1" });
  await app.register(async (api) => sessionRoutes(api, deps), { prefix: "/api/auth" });

  await serveDashboard(app, opts.webRoot ?? defaultWebRoot);
  return app;
}

/**
 * Credentials and roles are checked as soon as the headers arrive (nothing is read for a stranger), and checked again
 * for a request with a body once the body has arrived: a request opened while its key or session was good must not act
 * after a revocation, a removal or "sign out everywhere" that landed while its body was still trickling in.
 */
function authenticate(api: FastifyInstance, check: (req: FastifyRequest, reply: FastifyReply) => Promise<void>): void {
  api.addHook("onRequest", check);
  api.addHook("preHandler", async (req, reply) => {
    if (req.method !== "GET" && req.method !== "HEAD") await check(req, reply);
  });
}

/** The built React app at `/`; unknown non-API paths get index.html so client-side routes survive a reload. */
async function serveDashboard(app: FastifyInstance, root: string): Promise<void> {
  const hasWeb = existsSync(join(root, "index.html"));
  if (hasWeb) await app.register(fastifyStatic, { root, wildcard: false, index: ["index.html"] });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (hasWeb && req.method === "GET" && !path.startsWith("/api/") && !path.includes(".")) return reply.sendFile("index.html");
    const body: ErrorBody = { error: { code: "not_found", message: `No route ${req.method} ${path}` } };
    return reply.status(404).send(body);
  });
}
