import { generateKeyPairSync, sign } from "node:crypto";
import { canonicalJson } from "../../src/contracts/canonical-json.js";
import type { CheckInAnswer, Jwk, KeySet, LicensePayload, SignedLicense } from "../../src/contracts/types.js";
import { LicenseClient, type LicenseClientOptions, MemoryStateStore } from "../../src/sdk/index.js";
import { client } from "./world.js";

export const keySetOf = async (serverUrl: string): Promise<KeySet> =>
  (await client(serverUrl)("GET", "/api/plugin/v1/keys")).body as KeySet;

export const decodePayload = (doc: SignedLicense): LicensePayload =>
  JSON.parse(Buffer.from(doc.payload, "base64url").toString("utf8")) as LicensePayload;

/** An SDK client the way a plugin would set one up: pinned to the server's keys, state in memory, retries instant. */
export async function pluginFor(
  serverUrl: string,
  siteKey: string,
  opts: Partial<LicenseClientOptions> = {},
): Promise<LicenseClient> {
  return new LicenseClient({
    serverUrl,
    siteKey,
    trustedKeys: (await keySetOf(serverUrl)).keys,
    store: new MemoryStateStore(),
    retries: 1,
    sleep: async () => {},
    ...opts,
  });
}

/** A fetch that answers check-ins with the given body (a forged, replayed or foreign answer) and passes the rest on. */
export function answeringWith(body: () => unknown): typeof fetch {
  return async (input, init) => {
    if (String(input).endsWith("/check-in"))
      return new Response(JSON.stringify(body()), { status: 200, headers: { "content-type": "application/json" } });
    return fetch(input, init);
  };
}

/** An attacker's own Ed25519 key, able to sign documents that look perfect except for who signed them. */
export function impostorKey(kid: string) {
  const pair = generateKeyPairSync("ed25519");
  const { x } = pair.publicKey.export({ format: "jwk" }) as { x: string };
  const jwk: Jwk = { kty: "OKP", crv: "Ed25519", x, kid, use: "sig" };
  return {
    jwk,
    signDocument(payload: LicensePayload): SignedLicense {
      const bytes = Buffer.from(canonicalJson(payload));
      return { kid, payload: bytes.toString("base64url"), signature: sign(null, bytes, pair.privateKey).toString("base64url") };
    },
    sign: (bytes: Buffer) => sign(null, bytes, pair.privateKey).toString("base64url"),
  };
}

export const withDocument = (answer: CheckInAnswer, signed_license: SignedLicense): CheckInAnswer => ({
  ...answer,
  signed_license,
});
