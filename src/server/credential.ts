import type { FastifyRequest } from "fastify";
import { bearerToken, SESSION_COOKIE } from "./plugins/auth.js";

/**
 * The secret a reseller-API request authenticated with: its bearer token (an API key) or, for the dashboard, its
 * session cookie. Per-credential things (the API rate limit, idempotency keys) are keyed on it, hashed; null when
 * the request carries neither (auth has refused it by then).
 */
export function credentialOf(req: FastifyRequest): string | null {
  let token: string | null = null;
  try {
    token = bearerToken(req);
  } catch {
    return null;
  }
  return token ?? req.cookies[SESSION_COOKIE] ?? null;
}
