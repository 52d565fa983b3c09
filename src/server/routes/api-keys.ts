import type { FastifyInstance } from "fastify";
import { createApiKeyBody } from "../../contracts/schemas.js";
import { createApiKey } from "../../core/create-api-key.js";
import { listApiKeys } from "../../core/list-api-keys.js";
import { revokeApiKey } from "../../core/revoke-api-key.js";
import { rotateApiKey } from "../../core/rotate-api-key.js";
import type { Deps } from "../deps.js";
import { needs, resellerOf } from "../plugins/auth.js";
import { idWithNoBody, parse } from "../validate.js";

/** The reseller's API keys: listed by prefix and last use, created (shown once), rotated, revoked. Owners only. */
export function apiKeyRoutes(app: FastifyInstance, { db }: Deps): void {
  app.get("/api-keys", needs("manage"), async (req) => ({ api_keys: await listApiKeys(db, resellerOf(req).resellerId) }));

  app.post("/api-keys", needs("manage"), async (req, reply) => {
    const body = parse(createApiKeyBody, req.body);
    return reply.status(201).send(await createApiKey(db, resellerOf(req), body));
  });

  app.post("/api-keys/:id/rotate", needs("manage"), async (req) => rotateApiKey(db, resellerOf(req), idWithNoBody(req)));

  app.delete("/api-keys/:id", needs("manage"), async (req) => revokeApiKey(db, resellerOf(req), idWithNoBody(req)));
}
