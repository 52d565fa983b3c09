import type { FastifyInstance } from "fastify";
import { checkInBody } from "../../contracts/schemas.js";
import { AppError } from "../../core/app-error.js";
import { checkIn } from "../../core/check-in.js";
import type { Deps } from "../deps.js";
import { bearerToken } from "../plugins/auth.js";
import { parse } from "../validate.js";

export function pluginRoutes(app: FastifyInstance, { db, signer }: Deps): void {
  app.post("/check-in", async (req) => {
    const siteKey = bearerToken(req);
    if (!siteKey) throw new AppError("unauthorized", "Send the site key as `Authorization: Bearer <site key>`.");
    return checkIn(db, signer, siteKey, parse(checkInBody, req.body));
  });

  // Plugins pin this key (or fetch it once over TLS) and verify every check-in answer's signature with it.
  app.get("/signing-key", async () => ({ key_id: signer.keyId, algorithm: "Ed25519", public_key_pem: signer.publicKeyPem }));
}
