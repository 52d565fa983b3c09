import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkInBody } from "../../contracts/schemas.js";
import { AppError } from "../../core/app-error.js";
import { checkIn } from "../../core/check-in.js";
import type { Deps } from "../deps.js";
import { bearerToken } from "../plugins/auth.js";
import { parse } from "../validate.js";

export function pluginRoutes(app: FastifyInstance, { db, signer }: Deps): void {
  // A plugin checks in about hourly; a site key hammering the endpoint (a loop, a leaked key) is slowed down per key.
  const perSiteKey = {
    max: 60,
    timeWindow: "1 minute",
    // Keyed on the parsed token, so "bearer", "BEARER" or extra spaces do not make it another key.
    keyGenerator: (req: FastifyRequest) => {
      try {
        return bearerToken(req) ?? req.ip;
      } catch {
        return req.ip;
      }
    },
  };
  app.post("/check-in", { config: { rateLimit: perSiteKey } }, async (req) => {
    const siteKey = bearerToken(req);
    if (!siteKey) throw new AppError("unauthorized", "Send the site key as `Authorization: Bearer <site key>`.");
    return checkIn(db, signer, siteKey, parse(checkInBody, req.body));
  });

  // Plugins pin this key (or fetch it once over TLS) and verify every check-in answer's signature with it.
  app.get("/signing-key", async () => ({ key_id: signer.keyId, algorithm: "Ed25519", public_key_pem: signer.publicKeyPem }));
}
