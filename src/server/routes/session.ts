import type { FastifyInstance } from "fastify";
import { loginBody } from "../../contracts/schemas.js";
import { login, logout, sessionUser } from "../../core/auth.js";
import type { Deps } from "../deps.js";
import { SESSION_COOKIE } from "../plugins/auth.js";
import { parse } from "../validate.js";

/** Dashboard sign-in. The session token lives only in an HttpOnly cookie; the CSRF token is handed to the page. */
export function sessionRoutes(app: FastifyInstance, { db, secureCookies }: Deps): void {
  const cookie = { path: "/", httpOnly: true, sameSite: "lax" as const };

  app.post("/login", { config: { rateLimit: { max: 10, timeWindow: "1 minute" } } }, async (req, reply) => {
    const { email, password } = parse(loginBody, req.body);
    const session = await login(db, email, password);
    // Secure when served over TLS (directly or behind a proxy that says so), so the cookie never travels in clear.
    const secure = secureCookies || req.protocol === "https";
    reply.setCookie(SESSION_COOKIE, session.token, { ...cookie, secure, expires: new Date(session.expires_at) });
    const { user } = await sessionUser(db, session.token);
    return { user, csrf_token: session.csrf_token };
  });

  // Signed out is an answer, not an error: the dashboard asks on every load.
  app.get("/session", async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return { user: null, csrf_token: null };
    try {
      return await sessionUser(db, token);
    } catch {
      return { user: null, csrf_token: null };
    }
  });

  app.post("/logout", async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(db, token);
    reply.clearCookie(SESSION_COOKIE, cookie);
    return { signed_out: true };
  });
}
