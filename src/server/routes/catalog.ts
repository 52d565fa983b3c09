import type { FastifyInstance } from "fastify";
import { pageQuery, purchaseBody } from "../../contracts/schemas.js";
import { listPlans } from "../../core/catalog.js";
import { listPurchases } from "../../core/list-purchases.js";
import { purchasePlan } from "../../core/purchase-plan.js";
import type { Deps } from "../deps.js";
import { resellerOf } from "../plugins/auth.js";
import { parse } from "../validate.js";

export function catalogRoutes(app: FastifyInstance, { db }: Deps): void {
  app.get("/plans", async () => ({ plans: await listPlans(db) }));

  app.post("/purchases", async (req, reply) => {
    const body = parse(purchaseBody, req.body);
    return reply.status(201).send(await purchasePlan(db, resellerOf(req), body.plan_id));
  });

  app.get("/purchases", async (req) => {
    const page = await listPurchases(db, resellerOf(req).resellerId, parse(pageQuery, req.query));
    return { purchases: page.items, next_cursor: page.next_cursor };
  });
}
