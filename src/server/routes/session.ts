import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { acceptInviteBody, inviteTokenParam, loginBody } from "../../contracts/schemas.js";
import { acceptInvite, previewInvite } from "../../core/accept-invite.js";
import { login, logout, logoutEverywhere, type NewSession, sessionUser } from "../../core/auth.js";
import type { Deps } from "../deps.js";
import { SESSION_COOKIE, sessionOf } from "../plugins/auth.js";
import { parse } from "../validate.js";

/** Dashboard sign-in. The session token lives only in an HttpOnly cookie; the CSRF token is handed to the page. */
export function sessionRoutes(app: FastifyInstance, { db, secureCookies, access }: Deps): void {
  const cookie = { path: "/", httpOnly: true, sameSite: "lax" as const };

  const signIn = async (req: FastifyRequest, reply: FastifyReply, session: NewSession) => {
    // Secure when served over TLS (directly or behind a proxy that says so), so the cookie never travels in clear.
    const secure = secureCookies || req.protocol === "https";
    reply.setCookie(SESSION_COOKIE, session.token, { ...cookie, secure, expires: new Date(session.expires_at) });
    const { user } = await sessionUser(db, access, session.token);
    return { user, csrf_token: session.csrf_token };
  };

  // Two brakes on guessing: this per-address rate limit, and the lockout per email and address in core/login-throttle.
  app.post("/login", { config: { rateLimit: { max: 10, timeWindow: "1 minute" } } }, async (req, reply) => {
    const { email, password } = parse(loginBody, req.body);
    return signIn(req, reply, await login(db, access, { email, password, ip: req.ip }));
  });

  // Signed out is an answer, not an error: the dashboard asks on every load.
  app.get("/session", async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return { user: null, csrf_token: null };
    try {
      return await sessionUser(db, access, token);
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

  // Every session of the signed-in user ends, this one included (a lost laptop, a shared computer). Needs the CSRF token.
  app.post("/logout-everywhere", async (req, reply) => {
    const user = await sessionOf(db, access, req);
    const { sessions_ended } = await logoutEverywhere(db, user);
    reply.clearCookie(SESSION_COOKIE, cookie);
    return { signed_out: true, sessions_ended };
  });

  // The accept page: whose team, which email and role. The token is the credential; both routes are rate limited.
  app.get("/invites/:token", { config: { rateLimit: { max: 30, timeWindow: "1 minute" } } }, async (req) => ({
    invite: await previewInvite(db, parse(inviteTokenParam, req.params).token),
  }));

  app.post("/invites/:token/accept", { config: { rateLimit: { max: 10, timeWindow: "1 minute" } } }, async (req, reply) => {
    const { token } = parse(inviteTokenParam, req.params);
    const body = parse(acceptInviteBody, req.body);
    return signIn(req, reply, await acceptInvite(db, access, token, body));
  });
}
