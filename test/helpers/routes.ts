import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { registeredRoutes } from "../../src/server/route-list.js";

/** Where buildApp serves the dashboard from by default (startServer does not override it). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../dist/web", import.meta.url));

/**
 * The app's routes as `METHOD /path/:param` keys, sorted. The HEAD twin Fastify adds to every GET route runs the GET
 * handler, so it is folded into that GET's key; a HEAD route of its own would be listed.
 */
export function routeKeys(app: FastifyInstance): string[] {
  const routes = registeredRoutes(app);
  if (routes.length === 0) throw new Error("no routes recorded: buildApp must call recordRoutes(app) before adding routes");
  const gets = new Set(routes.filter((r) => r.method === "GET").map((r) => r.url));
  return [...new Set(routes.filter((r) => !(r.method === "HEAD" && gets.has(r.url))).map((r) => `${r.method} ${r.url}`))].sort();
}

/** The dashboard's files (index.html, assets) that @fastify/static registered, one GET route each, when dist/web is built. */
export function isDashboardFile(key: string, webRoot = DEFAULT_WEB_ROOT): boolean {
  const [method, url = ""] = key.split(" ");
  if (method !== "GET" || url.startsWith("/api/") || url.includes("..") || url.includes(":") || url.includes("*")) return false;
  const file = join(webRoot, decodeURIComponent(url));
  return existsSync(file) && (statSync(file).isFile() || existsSync(join(file, "index.html")));
}
