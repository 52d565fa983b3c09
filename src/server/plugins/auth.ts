import type { FastifyReply, FastifyRequest } from "fastify";
import type { SessionUser } from "../../contracts/types.js";
import { type Access, can } from "../../core/access.js";
import type { AccessSettings } from "../../core/access-settings.js";
import { AppError } from "../../core/app-error.js";
import { authenticateApiKey, authenticateSupportToken, sessionUser } from "../../core/auth.js";
import type { ResellerContext, SupportContext } from "../../core/context.js";
import { safeEqual } from "../../core/ids.js";
import type { Db } from "../../db/schema.js";

export const SESSION_COOKIE = "lp_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * What a reseller route needs (core/access.ts), declared as route config: `{ config: { access: "manage" } }`.
 * Undeclared routes need `read` for GET/HEAD and `write` for everything else, so a new write route is never open to
 * viewers or read-only keys by omission. `own_key` (POST /api-key/rotate): any API key may rotate itself; a dashboard
 * session needs `manage`.
 */
export type RouteAccess = Access | "own_key";

declare module "fastify" {
  interface FastifyRequest {
    reseller?: ResellerContext;
    support?: SupportContext;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Route options that declare what a reseller route needs: `app.get("/users", needs("manage"), handler)`. */
export const needs = (access: RouteAccess) => ({ config: { access } });

export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new AppError("unauthorized", "Authorization must be `Bearer <token>`.");
  return match[1];
}

/**
 * Scripts send a bearer token; the dashboard sends its session cookie. Cookie-authenticated writes must also echo the
 * session's CSRF token in `X-CSRF-Token`: another site can make the browser send the cookie, but cannot read the token.
 */
async function fromSession(
  db: Db,
  settings: AccessSettings,
  req: FastifyRequest,
  role: "reseller" | "support",
): Promise<SessionUser> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) throw new AppError("unauthorized", "Sign in, or send `Authorization: Bearer <key>`.");
  const { user, csrf_token } = await sessionUser(db, settings, token);
  if (user.role !== role) throw new AppError("forbidden", `This needs a ${role} account.`);
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers["x-csrf-token"];
    if (typeof sent !== "string" || !safeEqual(sent, csrf_token))
      throw new AppError("csrf_failed", "Missing or wrong X-CSRF-Token header.");
  }
  return user;
}

const REFUSALS: Record<Access, string> = {
  read: "This needs access to the account.",
  write: "Read-only access: this needs a staff or owner user, or a read-write API key.",
  manage: "Only the account's owners can manage users and API keys, from the dashboard.",
};

/** The one place roles are enforced: the caller's role (or its key's scope) against what the route declared. */
function checkAccess(req: FastifyRequest, ctx: ResellerContext): void {
  const declared = req.routeOptions.config?.access;
  const need: RouteAccess = declared ?? (SAFE_METHODS.has(req.method) ? "read" : "write");
  if (need === "own_key" && ctx.apiKeyId) return;
  const level: Access = need === "own_key" ? "manage" : need;
  if (!can(ctx.role ?? "viewer", level))
    throw new AppError("forbidden", REFUSALS[level], {
      role: ctx.role,
      needs: level,
      ...(ctx.apiKeyId ? { via: "api_key" } : {}),
    });
}

export function resellerAuth(db: Db, settings: AccessSettings) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const token = bearerToken(req);
    if (token) {
      req.reseller = await authenticateApiKey(db, token);
    } else {
      const user = await fromSession(db, settings, req, "reseller");
      if (!user.reseller_id) throw new AppError("forbidden", "This user belongs to no reseller.");
      req.reseller = {
        resellerId: user.reseller_id,
        actor: `user ${user.email}`,
        role: user.reseller_role ?? "viewer",
        userId: user.id,
      };
    }
    checkAccess(req, req.reseller);
  };
}

export function supportAuth(db: Db, settings: AccessSettings) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const token = bearerToken(req);
    if (token) {
      req.support = await authenticateSupportToken(db, token);
      return;
    }
    const user = await fromSession(db, settings, req, "support");
    req.support = { actor: `support ${user.email}` };
  };
}

export function resellerOf(req: FastifyRequest): ResellerContext {
  if (!req.reseller) throw new AppError("unauthorized", "Not authenticated.");
  return req.reseller;
}
export function supportOf(req: FastifyRequest): SupportContext {
  if (!req.support) throw new AppError("unauthorized", "Not authenticated.");
  return req.support;
}

/** The signed-in user behind the session cookie (for /api/auth routes), or 401. */
export async function sessionOf(db: Db, settings: AccessSettings, req: FastifyRequest): Promise<SessionUser> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) throw new AppError("unauthorized", "Not signed in.");
  const { user, csrf_token } = await sessionUser(db, settings, token);
  const sent = req.headers["x-csrf-token"];
  if (!SAFE_METHODS.has(req.method) && (typeof sent !== "string" || !safeEqual(sent, csrf_token)))
    throw new AppError("csrf_failed", "Missing or wrong X-CSRF-Token header.");
  return user;
}
