import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { canonicalJson } from "../contracts/canonical-json.js";
import type { Jwk, KeySet, LicensePayload, SignedLicense } from "../contracts/types.js";

/** Why a document was not trusted. Each one leaves the plugin on what it already held, never on premium. */
export type RejectReason =
  | "malformed" // not a signed license, or the payload is not the expected JSON
  | "unknown_key" // signed by a key this plugin does not trust (and no trusted key endorsed it)
  | "bad_signature" // the signature does not match the payload bytes: tampered or forged
  | "wrong_site" // for another site than this plugin's
  | "wrong_client" // for another client than the one this site key belongs to
  | "replayed" // older than the document already held
  | "not_yet_valid" // issued in the future, beyond the allowed clock skew
  | "expired"; // its grace window has ended

export class LicenseRejected extends Error {
  constructor(readonly reason: RejectReason) {
    super(`license document rejected: ${reason}`);
    this.name = "LicenseRejected";
  }
}

/** kid -> public key, the set a plugin trusts. */
export type TrustedKeys = Map<string, KeyObject>;

export function jwkToKey(jwk: Jwk): KeyObject {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new LicenseRejected("malformed");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
}

export function trustedKeysFrom(jwks: Jwk[]): TrustedKeys {
  return new Map(jwks.map((k) => [k.kid, jwkToKey(k)]));
}

/**
 * Verifies the detached signature over exactly the payload bytes, then decodes them. The bytes are what was signed;
 * nothing is re-serialised before verifying, so any language's verifier sees the same thing.
 */
export function verifySignedLicense(doc: SignedLicense, trusted: TrustedKeys): LicensePayload {
  if (!doc || typeof doc.kid !== "string" || typeof doc.payload !== "string" || typeof doc.signature !== "string")
    throw new LicenseRejected("malformed");
  const key = trusted.get(doc.kid);
  if (!key) throw new LicenseRejected("unknown_key");
  const bytes = Buffer.from(doc.payload, "base64url");
  if (!verify(null, bytes, key, Buffer.from(doc.signature, "base64url"))) throw new LicenseRejected("bad_signature");
  let payload: LicensePayload;
  try {
    payload = JSON.parse(bytes.toString("utf8")) as LicensePayload;
  } catch {
    throw new LicenseRejected("malformed");
  }
  // The kid inside the signed bytes must be the one outside: a document cannot borrow another key's name.
  if (payload?.kid !== doc.kid || typeof payload.revision !== "number" || typeof payload.valid_until !== "string")
    throw new LicenseRejected("malformed");
  return payload;
}

/**
 * Follows a rotation: a key is added only when a key already trusted signed it (its JWK, canonical JSON), so a
 * server impostor cannot introduce a key of its own. Walks the chain until nothing new verifies. Returns the new JWKs.
 */
export function followEndorsements(trusted: TrustedKeys, keySet: KeySet): Jwk[] {
  const added: Jwk[] = [];
  const pending = [...(Array.isArray(keySet?.endorsements) ? keySet.endorsements : [])];
  for (let progress = true; progress; ) {
    progress = false;
    for (const e of pending) {
      if (!e?.jwk?.kid || trusted.has(e.jwk.kid)) continue;
      const endorser = trusted.get(e.endorsed_by);
      if (!endorser) continue;
      try {
        if (!verify(null, Buffer.from(canonicalJson(e.jwk)), endorser, Buffer.from(e.signature, "base64url"))) continue;
        trusted.set(e.jwk.kid, jwkToKey(e.jwk));
      } catch {
        continue;
      }
      added.push(e.jwk);
      progress = true;
    }
  }
  return added;
}
