import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { adjustPoolBody, decideRequestBody, idParam, pageQuery, poolRequestsQuery } from "../../contracts/schemas.js";
import { adjustPool } from "../../core/adjust-pool.js";
import { grantPool } from "../../core/grant-pool.js";
import { listResellers } from "../../core/list-resellers.js";
import { decidePoolRequest, listPoolRequests } from "../../core/pool-requests.js";
import type { Deps } from "../deps.js";
import { supportOf } from "../plugins/auth.js";
import { parse } from "../validate.js";

const resellersQuery = pageQuery.extend({ q: z.string().trim().max(320).optional() });

const grantPoolBody = adjustPoolBody.extend({
  license_type: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[a-z][a-z0-9_-]*$/, "must be a lower-case word like premium"),
  total: adjustPoolBody.shape.total.min(1, "must be at least 1"),
});

export function supportRoutes(app: FastifyInstance, { db }: Deps): void {
  app.get("/resellers", async (req) => {
    const page = await listResellers(db, parse(resellersQuery, req.query));
    return { resellers: page.items, next_cursor: page.next_cursor };
  });

  app.post("/resellers/:id/pools", async (req, reply) => {
    const { id } = parse(idParam, req.params);
    const body = parse(grantPoolBody, req.body);
    return reply.status(201).send({ pool: await grantPool(db, supportOf(req), id, body.license_type, body.total, body.reason) });
  });

  app.post("/pools/:id/adjust", async (req) => {
    const { id } = parse(idParam, req.params);
    const body = parse(adjustPoolBody, req.body);
    return { pool: await adjustPool(db, supportOf(req), id, body.total, body.reason) };
  });

  app.get("/pool-requests", async (req) => {
    const page = await listPoolRequests(db, parse(poolRequestsQuery, req.query));
    return { pool_requests: page.items, next_cursor: page.next_cursor };
  });

  for (const [path, decision] of [
    ["approve", "approved"],
    ["decline", "declined"],
  ] as const) {
    app.post(`/pool-requests/:id/${path}`, async (req) => {
      const { id } = parse(idParam, req.params);
      return decidePoolRequest(db, supportOf(req), id, decision, parse(decideRequestBody, req.body).reason);
    });
  }
}
