import type { FastifyInstance } from "fastify";
import helmet from "helmet";

/**
 * What every JSON API answer carries: the OWASP REST set. An API response is never a page to frame, sniff or cache,
 * so it is told so in a few fixed headers, set in one call (check-ins are the hottest path we have).
 */
const API_HEADERS = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cross-origin-resource-policy": "same-origin",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
};

/**
 * Security headers on every response: the fixed API set above for /api/*, helmet's full set with a
 * Content-Security-Policy for the dashboard and everything else. The helmet middleware is built once, not per request.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const forPages = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, frameAncestors: ["'none'"] } },
  });
  app.addHook("onRequest", (req, reply, done) => {
    // The matched route, not the raw URL: `/%61pi/v1/...` or an absolute-form target reach the same API routes.
    if ((req.routeOptions.url ?? req.url).startsWith("/api/") || req.url.startsWith("/api/")) {
      reply.headers(API_HEADERS);
      done();
    } else forPages(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
}
