import type { FastifyInstance } from "fastify";
import { activityQuery } from "../../contracts/schemas.js";
import { getReseller } from "../../core/accounts.js";
import { listActivity } from "../../core/list-activity.js";
import { rotateApiKey } from "../../core/rotate-api-key.js";
import type { Deps } from "../deps.js";
import { resellerOf } from "../plugins/auth.js";
import { parse } from "../validate.js";

export function accountRoutes(app: FastifyInstance, { db }: Deps): void {
  app.get("/activity", async (req) => {
    const page = await listActivity(db, resellerOf(req).resellerId, parse(activityQuery, req.query));
    return { activity: page.items, next_cursor: page.next_cursor };
  });

  app.get("/me", async (req) => {
    return { reseller: await getReseller(db, resellerOf(req).resellerId) };
  });

  app.post("/api-key/rotate", async (req) => rotateApiKey(db, resellerOf(req)));
}
