import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { canonicalJson } from "../contracts/canonical-json.js";
import type { Db } from "../db/schema.js";
import { newId, nowIso } from "./ids.js";

export interface Signer {
  keyId: string;
  publicKeyPem: string;
  sign(payload: object): string;
}

/**
 * The server's Ed25519 check-in signing key, made on first start and kept in the database (never in the repo).
 * Plugins pin the public key and verify every answer, so a spoofed server cannot unlock premium features.
 */
export async function loadSigner(db: Db): Promise<Signer> {
  let row = await db.selectFrom("signing_keys").selectAll().orderBy("id", "desc").executeTakeFirst();
  if (!row) {
    const pair = generateKeyPairSync("ed25519");
    row = {
      id: newId("key"),
      public_key_pem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
      private_key_pem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      created_at: nowIso(),
    };
    await db.insertInto("signing_keys").values(row).execute();
  }
  const privateKey: KeyObject = createPrivateKey(row.private_key_pem);
  return {
    keyId: row.id,
    publicKeyPem: row.public_key_pem,
    sign: (payload) => sign(null, Buffer.from(canonicalJson(payload)), privateKey).toString("base64url"),
  };
}
