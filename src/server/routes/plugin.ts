import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { checkInBody } from "../../contracts/schemas.js";
import { AppError } from "../../core/app-error.js";
import { checkIn, newAnswerCache } from "../../core/check-in.js";
import type { Deps } from "../deps.js";
import { bearerToken } from "../plugins/auth.js";
import { checkInJson } from "../present-check-in.js";
import { parse } from "../validate.js";

/** Keyed on the parsed token, so "bearer", "BEARER" or extra spaces do not make it another key. */
function siteKeyOf(req: FastifyRequest): string {
  try {
    return `key:${bearerToken(req) ?? req.ip}`;
  } catch {
    return `ip:${req.ip}`;
  }
}

export function pluginRoutes(app: FastifyInstance, deps: Deps): void {
  const settings = deps.checkIn;
  const checkInDeps = {
    db: deps.db,
    keys: deps.keys,
    lastSeen: deps.lastSeen,
    settings,
    answers: newAnswerCache(settings.answerCacheSize),
  };
  // A plugin checks in about hourly: a site key hammering the endpoint (a loop, a leaked key) is slowed down per key,
  // and one address sending for very many keys (a scan for valid keys) per address. Both answer 429 with Retry-After.
  // The plugin's own per-route limiter runs once per request, so both limits are applied here by hand.
  const limits = [
    app.createRateLimit({ max: settings.perSiteKeyPerMinute, timeWindow: 60_000, keyGenerator: siteKeyOf }),
    app.createRateLimit({ max: settings.perIpPerMinute, timeWindow: 60_000, keyGenerator: (req) => `ip:${req.ip}` }),
  ];
  const rateLimited = async (req: FastifyRequest, reply: FastifyReply) => {
    for (const limit of limits) {
      // `isAllowed` only means "on the allow list"; `isExceeded` is the verdict.
      const verdict = await limit(req);
      if (!verdict.isAllowed && verdict.isExceeded) {
        reply.header("retry-after", String(verdict.ttlInSeconds));
        throw new AppError("rate_limited", `Too many check-ins; retry in ${verdict.ttlInSeconds} s.`);
      }
    }
  };

  app.post("/check-in", { onRequest: rateLimited }, async (req, reply) => {
    const siteKey = bearerToken(req);
    if (!siteKey) throw new AppError("unauthorized", "Send the site key as `Authorization: Bearer <site key>`.");
    const answer = await checkIn(checkInDeps, siteKey, parse(checkInBody, req.body));
    return reply.type("application/json; charset=utf-8").send(checkInJson(answer));
  });

  // The JWKS plugins verify signed licenses with, plus the endorsement chain that lets a pinned key follow rotations.
  app.get("/keys", async (_req, reply) => {
    // Short: a rotation reaches every app server within 30 s, and a cache must not hide the new key for longer.
    reply.header("cache-control", "public, max-age=30");
    return deps.keys.keySet();
  });

  // Kept for plugins written against the first release: the active key as PEM.
  app.get("/signing-key", async () => ({
    key_id: deps.keys.activeKid,
    algorithm: "Ed25519",
    public_key_pem: deps.keys.activePublicKeyPem,
  }));
}
