import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../core/app-error.js";
import { authenticateApiKey, authenticateSupportToken, sessionUser } from "../../core/auth.js";
import type { ResellerContext, SupportContext } from "../../core/context.js";
import { safeEqual } from "../../core/ids.js";
import type { Db } from "../../db/schema.js";

export const SESSION_COOKIE = "lp_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyRequest {
    reseller?: ResellerContext;
    support?: SupportContext;
  }
}

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
async function fromSession(db: Db, req: FastifyRequest, role: "reseller" | "support") {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) throw new AppError("unauthorized", "Sign in, or send `Authorization: Bearer <key>`.");
  const { user, csrf_token } = await sessionUser(db, token);
  if (user.role !== role) throw new AppError("forbidden", `This needs a ${role} account.`);
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers["x-csrf-token"];
    if (typeof sent !== "string" || !safeEqual(sent, csrf_token))
      throw new AppError("csrf_failed", "Missing or wrong X-CSRF-Token header.");
  }
  return user;
}

export function resellerAuth(db: Db) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const token = bearerToken(req);
    if (token) {
      req.reseller = await authenticateApiKey(db, token);
      return;
    }
    const user = await fromSession(db, req, "reseller");
    if (!user.reseller_id) throw new AppError("forbidden", "This user belongs to no reseller.");
    req.reseller = { resellerId: user.reseller_id, actor: `user ${user.email}` };
  };
}

export function supportAuth(db: Db) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const token = bearerToken(req);
    if (token) {
      req.support = await authenticateSupportToken(db, token);
      return;
    }
    const user = await fromSession(db, req, "support");
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
