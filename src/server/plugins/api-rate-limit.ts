import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../core/app-error.js";
import { hashSecret } from "../../core/ids.js";
import { intFrom } from "../../db/settings.js";
import { credentialOf } from "../credential.js";

/** Requests per credential per minute on the reseller API (API_RATE_LIMIT, default 1200: ample for automation). */
export function apiRateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return intFrom(env, "API_RATE_LIMIT", 1200, 1);
}

/**
 * Per-credential limit on the reseller API: each API key (and each dashboard session) gets `perMinute` requests a
 * minute, counted after authentication so only real credentials get a counter, keyed on the credential's SHA-256.
 * Over the limit: 429 `rate_limited` with Retry-After. Every answer carries X-RateLimit-Limit/-Remaining/-Reset.
 * Counters live in each app process (the @fastify/rate-limit memory store): with N app servers behind a balancer a key
 * can make up to N times the limit. Register it after the auth hook.
 */
export function registerApiRateLimit(api: FastifyInstance, perMinute: number): void {
  const limit = api.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => {
      const credential = credentialOf(req);
      return credential ? `cred:${hashSecret(credential)}` : `ip:${req.ip}`;
    },
  });
  api.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    const verdict = await limit(req);
    // `isAllowed` only means "on the allow list"; `isExceeded` is the verdict.
    if (verdict.isAllowed) return;
    reply.headers({
      "x-ratelimit-limit": String(verdict.max),
      "x-ratelimit-remaining": String(verdict.remaining),
      "x-ratelimit-reset": String(verdict.ttlInSeconds),
    });
    if (verdict.isExceeded) {
      reply.header("retry-after", String(verdict.ttlInSeconds));
      throw new AppError(
        "rate_limited",
        `Too many requests for this API key (${perMinute} a minute); retry in ${verdict.ttlInSeconds} s.`,
      );
    }
  });
}
