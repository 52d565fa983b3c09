import type { FastifyInstance } from "fastify";
import { clientsQuery, createClientBody, idParam, reissueBody, updateClientBody } from "../../contracts/schemas.js";
import { listClients } from "../../core/list-clients.js";
import { offboardClient } from "../../core/offboard-client.js";
import { onboardClient } from "../../core/onboard-client.js";
import { regenerateSiteKey } from "../../core/regenerate-site-key.js";
import { reissueLicense } from "../../core/reissue-license.js";
import { revokeLicense } from "../../core/revoke-license.js";
import { resumeClient, suspendClient } from "../../core/set-client-status.js";
import { updateClient } from "../../core/update-client.js";
import { loadClient } from "../../core/views.js";
import type { Deps } from "../deps.js";
import { resellerOf } from "../plugins/auth.js";
import { idWithNoBody, parse } from "../validate.js";

export function clientRoutes(app: FastifyInstance, { db }: Deps): void {
  const clientId = (params: unknown) => parse(idParam, params).id;

  app.post("/clients", async (req, reply) => {
    const body = parse(createClientBody, req.body);
    return reply.status(201).send(await onboardClient(db, resellerOf(req), body));
  });

  app.get("/clients", async (req) => {
    const page = await listClients(db, resellerOf(req).resellerId, parse(clientsQuery, req.query));
    return { clients: page.items, next_cursor: page.next_cursor };
  });

  app.get("/clients/:id", async (req) => ({ client: await loadClient(db, resellerOf(req).resellerId, clientId(req.params)) }));

  app.patch("/clients/:id", async (req) => {
    const id = clientId(req.params);
    return { client: await updateClient(db, resellerOf(req), id, parse(updateClientBody, req.body)) };
  });

  app.delete("/clients/:id", async (req) => offboardClient(db, resellerOf(req), idWithNoBody(req)));

  app.delete("/clients/:id/license", async (req) => revokeLicense(db, resellerOf(req), idWithNoBody(req)));

  app.post("/clients/:id/license/reissue", async (req) => {
    const id = clientId(req.params);
    return reissueLicense(db, resellerOf(req), id, parse(reissueBody, req.body).pool_id);
  });

  app.post("/clients/:id/suspend", async (req) => ({ client: await suspendClient(db, resellerOf(req), idWithNoBody(req)) }));
  app.post("/clients/:id/resume", async (req) => ({ client: await resumeClient(db, resellerOf(req), idWithNoBody(req)) }));
  app.post("/clients/:id/site-key", async (req) => regenerateSiteKey(db, resellerOf(req), idWithNoBody(req)));
}
