import type { FastifyInstance } from "fastify";
import { allocateBody, idParam, pageQuery, poolRequestBody, poolRequestsQuery } from "../../contracts/schemas.js";
import { allocateLicense } from "../../core/allocate-license.js";
import { getPoolWithHolders, listPools } from "../../core/list-pools.js";
import { filePoolRequest, listPoolRequests } from "../../core/pool-requests.js";
import type { Deps } from "../deps.js";
import { resellerOf } from "../plugins/auth.js";
import { parse } from "../validate.js";

export function poolRoutes(app: FastifyInstance, { db }: Deps): void {
  app.get("/pools", async (req) => ({ pools: await listPools(db, resellerOf(req).resellerId) }));

  app.get("/pools/:id", async (req) => {
    const { id } = parse(idParam, req.params);
    return getPoolWithHolders(db, resellerOf(req).resellerId, id, parse(pageQuery, req.query));
  });

  app.post("/pools/:id/allocations", async (req, reply) => {
    const { id } = parse(idParam, req.params);
    const { client_id } = parse(allocateBody, req.body);
    return reply.status(201).send(await allocateLicense(db, resellerOf(req), id, client_id));
  });

  app.post("/pool-requests", async (req, reply) => {
    const body = parse(poolRequestBody, req.body);
    return reply.status(201).send({ pool_request: await filePoolRequest(db, resellerOf(req), body) });
  });

  app.get("/pool-requests", async (req) => {
    const q = parse(poolRequestsQuery, req.query);
    const page = await listPoolRequests(db, { ...q, resellerId: resellerOf(req).resellerId });
    return { pool_requests: page.items, next_cursor: page.next_cursor };
  });
}
