import type { FastifyInstance } from "fastify";
import { activityQuery } from "../../contracts/schemas.js";
import { getReseller } from "../../core/accounts.js";
import { listActivity } from "../../core/list-activity.js";
import { rotateApiKey } from "../../core/rotate-api-key.js";
import type { Deps } from "../deps.js";
import { needs, resellerOf } from "../plugins/auth.js";
import { parse, parseNoBody } from "../validate.js";

export function accountRoutes(app: FastifyInstance, { db }: Deps): void {
  app.get("/activity", async (req) => {
    const page = await listActivity(db, resellerOf(req).resellerId, parse(activityQuery, req.query));
    return { activity: page.items, next_cursor: page.next_cursor };
  });

  // `role`: what this caller may do (a key's scope as the role it stands for: read -> viewer, read_write -> staff).
  app.get("/me", async (req) => {
    const ctx = resellerOf(req);
    return { reseller: await getReseller(db, ctx.resellerId, ctx.apiKeyId), role: ctx.role };
  });

  // With an API key: rotates that key (any scope), as scripts always did. From the dashboard: the owner's primary key.
  app.post("/api-key/rotate", needs("own_key"), async (req) => {
    parseNoBody(req.body);
    return rotateApiKey(db, resellerOf(req));
  });
}
